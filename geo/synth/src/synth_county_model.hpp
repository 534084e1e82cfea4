#pragma once
// Internal to synth-county: the synthetic county as plain data (built by synth_county.cpp,
// written by synth_county_write.cpp). Coordinates are EPSG:27700 metres.
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "lotwright/synth/synth.hpp"
#include "lotwright/core/types.hpp"

namespace lotwright::geo::synth {

// Our own distributions over std::mt19937_64: the std:: ones differ between standard
// libraries, and the sample in shapefiles/ must come out byte-identical everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : g_(seed) {}
  double uniform() { return static_cast<double>(g_() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Integer in [0, n); n > 0.
  std::uint64_t below(std::uint64_t n) { return static_cast<std::uint64_t>(uniform() * n); }
  double normal();  // Box-Muller, N(0, 1)
  long poisson(double lambda);
  bool chance(double p) { return uniform() < p; }

 private:
  std::mt19937_64 g_;
};

enum class Kind { kTown, kVillage, kHamlet };
const char* kind_name(Kind k);  // "town", "village", "hamlet"

struct Settlement {
  std::string name;
  Kind kind = Kind::kHamlet;
  Point centre;
  double radius_m = 0;
  long postcodes = 0;
  double residents = 0;
  std::vector<int> street_nodes;  // road nodes of its street lattice (front() = centre)
};

struct Way {
  std::string highway;
  std::string ref;
  std::string maxspeed;
  std::vector<int> nodes;  // indices into Model::nodes
};

struct Site {  // one postcode
  std::string postcode;
  Point p;                // whole metres
  int settlement = -1;    // -1: isolated (farms along lanes)
  double residents = 0;
  double over65 = 0;
  int area = -1;          // index into Model::areas
};

struct SmallArea {
  std::string code;
  std::string name;
  std::vector<unsigned char> wkb;  // clipped Voronoi cell, EPSG:27700 (multi)polygon
  std::string ruc;                 // RUC2011 LSOA code: B1 C1 C2 D1 D2 E1 E2
  long residents = 0;
  long over65 = 0;
};

struct DemandRow {
  int site = 0;  // index into Model::sites
  long customers = 0;
  double hours = 0;
  double unmet_hours = 0;
};

struct Model {
  SynthCountyOptions options;
  std::string area_code;  // postcode area letters
  Ring boundary;          // closed, counter-clockwise
  double area_km2 = 0;
  std::vector<Settlement> settlements;
  std::vector<Point> nodes;  // road nodes; OSM id = index + 1
  std::vector<Way> ways;
  std::vector<Site> sites;  // sorted by postcode
  std::vector<SmallArea> areas;
  std::vector<DemandRow> demand;  // sorted by postcode
  double total_hours = 0;
  int lots = 0;
  double max_travel_minutes = 0;
};

Model build_model(const SynthCountyOptions& options);
// Writes every file of the county into dir (an empty folder).
void write_model(const Model& m, const std::filesystem::path& dir);
// RUC2011 code -> its ONS name ("C1" -> "Urban city and town").
const char* ruc_name(const std::string& code);

// Geometry helpers shared by the builder and the tests of the generator.
bool inside(const Ring& ring, Point p);
double distance_to_ring(const Ring& ring, Point p);

}  // namespace lotwright::geo::synth
