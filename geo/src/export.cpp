// The unit graph for other tools (formats in docs/graph-export.md). Node order everywhere is
// the unit order of UnitGraph: postcodes sorted ascending; node i is unit i (METIS: line i+1).
#include "lotwright/geo/export.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "lotwright/geo/error.hpp"
#include "lotwright/geo/io.hpp"

namespace lotwright::geo {

namespace {

void check_graph(const UnitGraph& g) {
  const std::size_t n = g.size();
  if (g.offsets.size() != n + 1 || g.targets.size() != g.offsets.back() ||
      g.site.size() != n || g.hours.size() != n)
    throw DataError("export-graph: the unit graph is incomplete (adjacency not built)");
}

template <class V>
double at_or(const V& v, std::size_t i, double fallback = 0) {
  return i < v.size() ? static_cast<double>(v[i]) : fallback;
}

std::string gerrychain(const UnitGraph& g) {
  using Json = nlohmann::ordered_json;
  Json doc;
  doc["directed"] = false;
  doc["multigraph"] = false;
  doc["graph"] = Json::object();
  Json nodes = Json::array();
  for (std::size_t i = 0; i < g.size(); ++i) {
    Json n;
    n["id"] = i;
    n["postcode"] = g.id[i];
    n["hours"] = g.hours[i];
    n["customers"] = at_or(g.customers, i);
    n["easting"] = g.site[i].x;
    n["northing"] = g.site[i].y;
    n["rural"] = i < g.rural.size() ? g.rural[i] : std::string();
    nodes.push_back(std::move(n));
  }
  Json links = Json::array();
  for (std::size_t u = 0; u < g.size(); ++u)
    for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k) {
      const auto v = g.targets[k];
      if (v <= u) continue;  // undirected: each pair once, source < target
      Json l;
      l["source"] = u;
      l["target"] = v;
      l["border_m"] = at_or(g.edge_border_m, k);
      const double m = at_or(g.edge_minutes, k, HUGE_VAL);
      if (std::isfinite(m))
        l["minutes"] = m;
      else
        l["minutes"] = nullptr;
      links.push_back(std::move(l));
    }
  doc["nodes"] = std::move(nodes);
  doc["links"] = std::move(links);
  return doc.dump(1) + "\n";
}

// Vertex weight: weekly hours in tenths of an hour, rounded to the nearest integer (METIS
// needs integers; 0.05 h is the largest rounding per unit). Zero-demand units weigh 0.
long metis_weight(double hours) { return std::lround(std::max(0.0, hours) * 10.0); }

std::string metis(const UnitGraph& g) {
  std::ostringstream s;
  s << g.size() << ' ' << g.targets.size() / 2 << " 010\n";
  for (std::size_t u = 0; u < g.size(); ++u) {
    s << metis_weight(g.hours[u]);
    for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k) s << ' ' << g.targets[k] + 1;
    s << '\n';
  }
  return s.str();
}

std::string gal(const UnitGraph& g) {
  std::ostringstream s;
  s << g.size() << '\n';
  for (std::size_t u = 0; u < g.size(); ++u) {
    s << u << ' ' << (g.offsets[u + 1] - g.offsets[u]) << '\n';
    for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k)
      s << (k == g.offsets[u] ? "" : " ") << g.targets[k];
    s << '\n';
  }
  return s.str();
}

}  // namespace

GraphFormat parse_graph_format(const std::string& name) {
  if (name == "gerrychain") return GraphFormat::gerrychain;
  if (name == "metis") return GraphFormat::metis;
  if (name == "gal") return GraphFormat::gal;
  throw UsageError("--format \"" + name + "\": expected gerrychain, metis or gal");
}

void export_graph(const UnitGraph& g, GraphFormat format, const std::filesystem::path& out) {
  check_graph(g);
  std::string text;
  switch (format) {
    case GraphFormat::gerrychain: text = gerrychain(g); break;
    case GraphFormat::metis: text = metis(g); break;
    case GraphFormat::gal: text = gal(g); break;
  }
  write_file_atomic(out, text);
}

}  // namespace lotwright::geo
