#include "pg.hpp"

#include "lotwright/core/error.hpp"

namespace lotwright::geo::store_detail {

std::string quote(const std::string& text) {
  std::string q = "'";
  for (char c : text) {
    if (c == '\0') throw DataError("a text for the database contains a NUL character");
    q += c;
    if (c == '\'') q += '\'';
  }
  return q + "'";
}

Db::Db(const std::string& conn, const std::string& tables) : conn_(conn) {
  detail::gdal_init();
  detail::GdalErrorCapture errors;
  // TABLES: GDAL lists only these at open (a council database may hold thousands of tables).
  const std::string tables_opt = "TABLES=" + (tables.empty() ? std::string("-") : tables);
  const char* options[] = {tables_opt.c_str(), nullptr};
  const char* drivers[] = {"PostgreSQL", nullptr};
  ds_.reset(
      GDALDataset::Open(conn.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers, options, nullptr));
  if (!ds_) fail("cannot connect to the database", errors.last());
  exec("SET standard_conforming_strings = on");
}

Db::~Db() { rollback(); }

std::string Db::where() const { return geo::where(conn_); }

void Db::fail(const std::string& what, const std::string& server) const {
  std::string msg = server;
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  throw DataError(where() + what + (msg.empty() ? "" : ": " + msg));
}

void Db::exec(const std::string& sql) {
  detail::GdalErrorCapture errors;
  OGRLayer* result = ds_->ExecuteSQL(sql.c_str(), nullptr, nullptr);
  if (result) ds_->ReleaseResultSet(result);
  if (!errors.failure().empty()) fail("SQL failed", errors.failure());
}

std::vector<std::vector<std::string>> Db::query(const std::string& sql) {
  detail::GdalErrorCapture errors;
  OGRLayer* result = ds_->ExecuteSQL(sql.c_str(), nullptr, nullptr);
  std::vector<std::vector<std::string>> rows;
  if (result) {
    const int n = result->GetLayerDefn()->GetFieldCount();
    for (auto& f : *result) {
      std::vector<std::string> row;
      for (int i = 0; i < n; ++i)
        row.emplace_back(f->IsFieldSetAndNotNull(i) ? f->GetFieldAsString(i) : "");
      rows.push_back(std::move(row));
    }
    ds_->ReleaseResultSet(result);
  }
  if (!errors.failure().empty()) fail("SQL failed", errors.failure());
  if (!result) fail("SQL returned no result", "");
  return rows;
}

OGRLayer& Db::layer(const std::string& name) {
  detail::GdalErrorCapture errors;
  OGRLayer* l = ds_->GetLayerByName(name.c_str());
  if (!l) fail("no table " + name, errors.last());
  return *l;
}

void Db::begin() {
  detail::GdalErrorCapture errors;
  if (ds_->StartTransaction(FALSE) != OGRERR_NONE)
    fail("cannot start a transaction", errors.last());
  in_tx_ = true;
}

void Db::commit() {
  detail::GdalErrorCapture errors;
  in_tx_ = false;
  if (ds_->CommitTransaction() != OGRERR_NONE)
    fail("the transaction was not committed (nothing was written)", errors.last());
}

void Db::rollback() noexcept {
  if (!in_tx_) return;
  in_tx_ = false;
  detail::GdalErrorCapture errors;  // keeps GDAL's messages off stderr
  ds_->RollbackTransaction();
}

}  // namespace lotwright::geo::store_detail
