#include "lotwright/geo/config.hpp"
#include "lotwright/geo/error.hpp"
namespace lotwright::geo {
Config load_config(const std::filesystem::path&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
}  // namespace lotwright::geo
