#pragma once
// The `lotwright` schema: tables, their migrations and the version table.
#include <string>

#include "pg.hpp"

namespace lotwright::geo::store_detail {

inline constexpr int kSchemaVersion = 2;

// Creates the schema or brings it to kSchemaVersion, in its own transaction under an advisory
// lock (two first writers at once do not both create it). Throws DataError when the database
// is newer than this program.
void migrate(Db& db);

// True when lotwright.scenarios exists (reading a database nobody has written to).
bool schema_exists(Db& db);

}  // namespace lotwright::geo::store_detail
