#pragma once
// The plan.gpkg schema in one place: the fields of the `units`, `lots` and `hubs` layers,
// written by write_plan (plan_io) and read back by load_plan_store (plan_store). Both sides
// name fields through these tables, so a field added here is written and can be read.
// Field meanings: docs/outputs.md.
#include <array>

namespace lotwright::geo::plan_schema {

enum class FieldType { text, integer, real };

struct Field {
  const char* name;
  FieldType type;
};

// `units` (Polygon, one feature per postcode unit).
struct Units {
  static constexpr const char* layer = "units";
  static constexpr Field postcode{"postcode", FieldType::text};
  static constexpr Field lot{"lot", FieldType::integer};  // 1-based, 0 unassigned
  static constexpr Field hours{"hours", FieldType::real};
  static constexpr Field customers{"customers", FieldType::real};
  static constexpr Field unmet_hours{"unmet_hours", FieldType::real};
  static constexpr Field rural{"rural", FieldType::text};
  static constexpr Field travel_min{"travel_min", FieldType::real};  // null: unreachable
  static constexpr Field site_x{"site_x", FieldType::real};
  static constexpr Field site_y{"site_y", FieldType::real};
  static constexpr std::array fields = {postcode, lot,        hours,  customers, unmet_hours,
                                        rural,    travel_min, site_x, site_y};
};

// `lots` (MultiPolygon, one feature per lot).
struct Lots {
  static constexpr const char* layer = "lots";
  static constexpr Field lot{"lot", FieldType::integer};
  static constexpr Field name{"name", FieldType::text};
  static constexpr Field tier{"tier", FieldType::text};
  static constexpr Field hours{"hours", FieldType::real};
  static constexpr Field customers{"customers", FieldType::real};
  static constexpr Field units{"units", FieldType::integer};
  static constexpr Field hub{"hub", FieldType::text};
  static constexpr Field mean_travel_min{"mean_travel_min", FieldType::real};
  static constexpr Field max_travel_min{"max_travel_min", FieldType::real};
  static constexpr Field area_km2{"area_km2", FieldType::real};
  static constexpr Field pieces{"pieces", FieldType::integer};
  static constexpr std::array fields = {
      lot,      name,  tier, hours, customers, units, hub, mean_travel_min, max_travel_min,
      area_km2, pieces};
};

// `hubs` (Point, one feature per lot with a hub).
struct Hubs {
  static constexpr const char* layer = "hubs";
  static constexpr Field lot{"lot", FieldType::integer};
  static constexpr Field name{"name", FieldType::text};
  static constexpr Field postcode{"postcode", FieldType::text};
  static constexpr std::array fields = {lot, name, postcode};
};

}  // namespace lotwright::geo::plan_schema
