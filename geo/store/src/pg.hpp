#pragma once
// A PostGIS connection through GDAL's PostgreSQL driver: SQL statements, text queries and one
// explicit transaction (GDALDataset::StartTransaction, a real BEGIN/COMMIT on the server).
// Every failure throws DataError naming the database (no password) and the server's message.
#include <string>
#include <vector>

#include "lotwright/gis/gdal.hpp"

namespace lotwright::geo::store_detail {

// An SQL string literal: 'text' with quotes doubled. The connection runs with
// standard_conforming_strings on (set by Db), so backslashes are plain characters.
std::string quote(const std::string& text);

class Db {
 public:
  // Opens `conn` ("PG:...") for update. `tables` limits the layers GDAL lists at open
  // (schema-qualified names; empty: none listed, layers are opened by name when asked).
  explicit Db(const std::string& conn, const std::string& tables = "");
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(const std::string& sql);
  // Rows of text ("" for NULL), columns as selected.
  std::vector<std::vector<std::string>> query(const std::string& sql);
  OGRLayer& layer(const std::string& name);

  void begin();
  void commit();
  void rollback() noexcept;  // when a transaction is open
  bool in_transaction() const { return in_tx_; }

  // "PG:dbname=...: " for messages.
  std::string where() const;
  [[noreturn]] void fail(const std::string& what, const std::string& server) const;

 private:
  std::string conn_;
  GDALDatasetUniquePtr ds_;
  bool in_tx_ = false;
};

}  // namespace lotwright::geo::store_detail
