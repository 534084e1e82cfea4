#include "lotwright/geo/io.hpp"
#include "lotwright/geo/error.hpp"
namespace lotwright::geo {
void write_file_atomic(const std::filesystem::path&, const std::string&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
void write_atomic(const std::filesystem::path&,
                  const std::function<void(const std::filesystem::path&)>&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
void write_dir_atomic(const std::filesystem::path&,
                      const std::function<void(const std::filesystem::path&)>&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
Table read_table(const std::filesystem::path&, const std::string&, const std::vector<std::string>&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
double parse_number(const std::string&, const std::filesystem::path&, long, const std::string&, bool) { throw DataError(std::string(__func__) + " is not implemented yet"); }
}  // namespace lotwright::geo
