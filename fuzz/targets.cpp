// Fuzz target bodies (targets.hpp): each writes its input into this process's scratch folder
// and calls one reader of the library, as the command line would.
#include "targets.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "lotwright/core/error.hpp"
#include "lotwright/core/network.hpp"
#include "lotwright/plan/plan_csv.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/county.hpp"
#include "lotwright/study/roads.hpp"

namespace lotwright::fuzz {
namespace {

namespace fs = std::filesystem;

// A folder of this process (RAM-backed when /dev/shm is there), removed at exit.
const fs::path& scratch() {
  static const fs::path dir = [] {
    std::error_code ec;
    fs::path base =
        fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
    fs::path d = base / ("lotwright-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(d);
    std::atexit([] {
      std::error_code e;
      fs::remove_all(fs::path("/dev/shm") / ("lotwright-fuzz-" + std::to_string(::getpid())), e);
      fs::remove_all(fs::temp_directory_path() / ("lotwright-fuzz-" + std::to_string(::getpid())),
                     e);
    });
    return d;
  }();
  return dir;
}

fs::path put(const std::string& name, const std::uint8_t* data, std::size_t size) {
  const fs::path p = scratch() / name;
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return p;
}

fs::path put(const std::string& name, const std::string& text) {
  return put(name, reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

// A 20 km square county in EPSG:27700 and a few postcodes in it (one outside).
const geo::Config& county_config() {
  static const geo::Config cfg = [] {
    geo::Config c;
    c.file = scratch() / "county.toml";
    c.dir = scratch();
    c.area.name = "Fuzz";
    c.area.boundary =
        put("boundary.geojson",
            R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":)"
            R"("urn:ogc:def:crs:EPSG::27700"}},"features":[{"type":"Feature","properties":{},)"
            R"("geometry":{"type":"Polygon","coordinates":[[[440000,70000],[460000,70000],)"
            R"([460000,90000],[440000,90000],[440000,70000]]]}}]})");
    c.postcodes.path = put("postcodes.csv",
                           "postcode,easting,northing\n"
                           "PO30 1AA,445000,75000\nPO30 1AB,450000,80000\n"
                           "PO30 1AD,455000,85000\nPO31 7AA,441000,89000\n"
                           "PO32 6AA,470000,80000\n");
    return c;
  }();
  return cfg;
}

// Six units, as a study's graph holds them (ids sorted).
const geo::UnitGraph& small_graph() {
  static const geo::UnitGraph g = [] {
    geo::UnitGraph u;
    u.id = {"PO30 1AA", "PO30 1AB", "PO30 1AD", "PO30 1AE", "PO31 7AA", "PO32 6AA"};
    for (std::size_t i = 0; i < u.id.size(); ++i) {
      u.site.push_back({445000.0 + 1000.0 * static_cast<double>(i), 75000});
      u.hours.push_back(10);
      u.customers.push_back(1);
      u.unmet_hours.push_back(0);
      u.rural.emplace_back();
      u.area_m2.push_back(1e6);
    }
    geo::set_edges(
        u, {{0, 1, 5, 100}, {1, 2, 5, 100}, {2, 3, 5, 100}, {3, 4, 5, 100}, {4, 5, 5, 100}});
    return u;
  }();
  return g;
}

// 0: the reader accepted the input; 1: it refused it with a message (a DataError), the
// expected outcome for most fuzzed inputs. Anything else escapes: a finding.
template <class F>
int refused_is_fine(F&& f) {
  try {
    f();
  } catch (const geo::DataError&) {
    return 1;
  }
  return 0;
}

}  // namespace

int demand_csv(const std::uint8_t* data, std::size_t size) {
  geo::Config cfg = county_config();
  geo::DemandConfig d;
  d.path = put("demand.csv", data, size);
  d.customers = "customers";
  d.unmet_hours = "unmet_hours";
  cfg.demand = d;
  return refused_is_fine([&] { geo::load_county(cfg); });
}

int postcode_csv(const std::uint8_t* data, std::size_t size) {
  geo::Config cfg = county_config();
  cfg.postcodes.path = put("postcodes-in.csv", data, size);
  return refused_is_fine([&] { geo::load_county(cfg); });
}

int config_toml(const std::uint8_t* data, std::size_t size) {
  const fs::path file = put("config.toml", data, size);
  return refused_is_fine([&] {
    const geo::Config cfg = geo::load_config(file);
    (void)geo::config_inputs(cfg);
  });
}

int plan_csv(const std::uint8_t* data, std::size_t size) {
  const fs::path file = put("plan.csv", data, size);
  return refused_is_fine([&] {
    std::vector<std::string> problems;
    geo::read_plan_csv(file, small_graph(), &problems);
  });
}

int locked_csv(const std::uint8_t* data, std::size_t size) {
  const fs::path file = put("locked.csv", data, size);
  return refused_is_fine([&] {
    geo::PlanCsvOptions o;
    o.strict = true;
    o.numbering = geo::PlanCsvOptions::Numbering::kAsWritten;
    geo::read_plan_csv(file, small_graph(), o, nullptr);
    // keep_from: the same file read as written, leniently
    std::vector<std::string> problems;
    o.strict = false;
    geo::read_plan_csv(file, small_graph(), o, &problems);
  });
}

namespace {
int osm(const char* name, const std::uint8_t* data, std::size_t size) {
  const fs::path file = put(name, data, size);
  return refused_is_fine(
      [&] { geo::build_road_network(file, geo::make_profile(geo::RoadsConfig{})); });
}
}  // namespace

int osm_xml(const std::uint8_t* data, std::size_t size) { return osm("roads.osm", data, size); }
int osm_pbf(const std::uint8_t* data, std::size_t size) { return osm("roads.osm.pbf", data, size); }

const std::vector<NamedTarget>& all_targets() {
  static const std::vector<NamedTarget> t{
      {"demand_csv", demand_csv}, {"postcode_csv", postcode_csv}, {"config_toml", config_toml},
      {"plan_csv", plan_csv},     {"locked_csv", locked_csv},     {"osm_xml", osm_xml},
      {"osm_pbf", osm_pbf}};
  return t;
}

}  // namespace lotwright::fuzz
