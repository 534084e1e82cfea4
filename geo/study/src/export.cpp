// The unit graph for other tools (formats in docs/graph-export.md). Node order everywhere is
// the unit order of UnitGraph: postcodes sorted ascending; node i is unit i (METIS: line i+1).
#include "lotwright/study/export.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"

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
  // "links" (node-link format) lists each pair once; "adjacency" (networkx adjacency
  // format, what GerryChain's Graph.from_json reads) lists every node's neighbours. Both
  // share "nodes", so one file serves node_link_graph(edges="links") and adjacency_graph.
  Json links = Json::array();
  Json adjacency = Json::array();
  for (std::size_t u = 0; u < g.size(); ++u) {
    Json row = Json::array();
    for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k) {
      const auto v = g.targets[k];
      const double m = at_or(g.edge_minutes, k, HUGE_VAL);
      Json a;
      a["id"] = v;
      a["border_m"] = at_or(g.edge_border_m, k);
      a["minutes"] = std::isfinite(m) ? Json(m) : Json(nullptr);
      if (v > u) {  // undirected: each pair once in links, source < target
        Json l;
        l["source"] = u;
        l["target"] = v;
        l["border_m"] = a["border_m"];
        l["minutes"] = a["minutes"];
        links.push_back(std::move(l));
      }
      row.push_back(std::move(a));
    }
    adjacency.push_back(std::move(row));
  }
  doc["nodes"] = std::move(nodes);
  doc["links"] = std::move(links);
  doc["adjacency"] = std::move(adjacency);
  return doc.dump() + "\n";
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
