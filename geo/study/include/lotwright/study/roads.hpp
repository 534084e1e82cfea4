#pragma once
// Road network from OpenStreetMap (libosmium) as a compressed sparse row graph.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "lotwright/study/config.hpp"
#include "lotwright/core/types.hpp"

namespace lotwright::geo {

// Speed profile keyed on OSM `highway` and `maxspeed` (table in docs/profiles.md).
struct Profile {
  std::string name;  // "car" | "ebike"
  bool ferries = false;
  double ferry_minutes = 20;
};
Profile make_profile(const RoadsConfig& roads);  // throws DataError on an unknown profile
// Speed in km/h for a way under a profile, or 0 when the profile may not use it.
double way_speed_kmh(const Profile& profile, std::string_view highway, std::string_view maxspeed);
// "30", "30 mph", "48 km/h", "gb:nsl_single", "gb:nsl_dual", "national", "GB:motorway", ...
// -> km/h; 0 when not understood.
double parse_maxspeed_kmh(std::string_view tag);

struct RoadGraph {
  // CSR: edges of node v are [offsets[v], offsets[v+1]).
  std::vector<std::uint32_t> offsets;
  std::vector<std::uint32_t> targets;
  std::vector<std::uint32_t> weights_ds;  // travel time in deciseconds
  std::vector<float> lengths_m;           // edge length in metres
  std::vector<Point> nodes;               // EPSG:27700
  std::vector<std::uint32_t> component;   // weakly connected component id per node (0 = largest)
  std::uint32_t component_count = 0;
  std::size_t node_count() const { return nodes.size(); }
  std::size_t edge_count() const { return targets.size(); }
};

struct Place {  // OSM place=city|town|village|hamlet|suburb nodes, for naming lots and maps
  std::string name;
  std::string kind;
  Point site;
};

struct MainRoad {  // motorway..tertiary ways, for maps
  std::string highway;
  std::string ref;
  Polyline line;
};

struct RoadNetwork {
  Profile profile;
  RoadGraph graph;
  std::vector<Place> places;
  std::vector<MainRoad> main_roads;
  std::string source_hash;  // hash of the OSM file + profile, the cache key
};

// Reads OSM (.osm.pbf / .osm) and builds the graph; one-way and access=no/private respected.
RoadNetwork build_road_network(const std::filesystem::path& osm, const Profile& profile);
// As above, through a binary cache in cache_dir keyed by the input's hash and the profile.
RoadNetwork load_road_network(const std::filesystem::path& osm, const Profile& profile,
                              const std::filesystem::path& cache_dir, bool* from_cache = nullptr);

}  // namespace lotwright::geo
