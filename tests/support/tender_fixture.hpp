#pragma once
// A small synthetic county for the tender pack tests: a grid of 1 km square cells near
// Newport (Isle of Wight) with postcodes "PO30 <sector><letters>", hours, customers, rural
// classes, a hand-made plan, main roads and places. Shared by tender_test and disclosure_test.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "lotwright/core/network.hpp"
#include "lotwright/core/plan.hpp"
#include "lotwright/core/travel.hpp"
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/roads.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/study/units.hpp"
#include "lotwright/tender/tender.hpp"
#include "support.hpp"

namespace lotwright::test {

struct TenderFixture {
  static constexpr int kCols = 9, kRows = 6;
  static constexpr double kX0 = 444000, kY0 = 84000, kCell = 1000;
  geo::Config config;
  tender::TenderConfig tender;
  geo::UnitGraph graph;
  geo::Units units;
  geo::RoadNetwork roads;
  geo::Plan plan;
  geo::PlanMetrics metrics;
  std::vector<int> col_of;  // per unit (graph order)

  // lots: 3 zones by column (0-2, 3-5, 6-8). One unit is left unassigned.
  TenderFixture() {
    config.area.name = "Testshire";
    tender.buyer = "Testshire Council";
    config.design.lots = 3;
    struct Raw {
      std::string id;
      int col, row, sector;
    };
    std::vector<Raw> raw;
    const char* letters = "ABDEFGHJLNPQRSTUWXYZ";
    for (int c = 0; c < kCols; ++c)
      for (int r = 0; r < kRows; ++r) {
        // Sector by 3x2 blocks of cells: digits 1..9; letters by position.
        const int sector = 1 + (c / 3) * 3 + r / 2;
        const int k = c * kRows + r;
        std::string id = "PO30 " + std::to_string(sector) + letters[k % 20] + letters[k / 20];
        raw.push_back({id, c, r, sector});
      }
    std::sort(raw.begin(), raw.end(), [](const Raw& a, const Raw& b) { return a.id < b.id; });
    const int n = static_cast<int>(raw.size());
    for (int i = 0; i < n; ++i) {
      const Raw& r = raw[i];
      const double x = kX0 + r.col * kCell, y = kY0 + r.row * kCell;
      geo::Unit u;
      u.id = r.id;
      u.site = {x + kCell / 2, y + kCell / 2};
      u.cell = {geo::Polygon{
          {{x, y}, {x + kCell, y}, {x + kCell, y + kCell}, {x, y + kCell}, {x, y}}, {}}};
      u.area_m2 = kCell * kCell;
      // Hours and customers: a deterministic pattern with zeros and small counts.
      const int k = r.col * kRows + r.row;
      u.customers = (k % 7 == 3) ? 0 : 1 + (k * 5) % 4;
      // Sector "PO30 4" holds only 2 customers (one unit): it must be suppressed.
      if (r.sector == 4) u.customers = (r.col == 3 && r.row == 0) ? 2 : 0;
      u.hours = u.customers * (6.5 + (k % 5) * 2.25);
      u.unmet_hours = (k % 6 == 0) ? 1.5 : 0;
      u.rural = r.col >= 6 ? (r.row % 2 ? "E1" : "F2") : (r.col == 0 && r.row == 0 ? "" : "C1");
      units.units.push_back(u);
      col_of.push_back(r.col);
    }
    graph = geo::graph_from_units(units);
    std::vector<geo::GraphEdge> edges;
    for (int i = 0; i < n; ++i)
      for (int j = i + 1; j < n; ++j)
        if (std::abs(raw[i].col - raw[j].col) + std::abs(raw[i].row - raw[j].row) == 1)
          edges.push_back({i, j, 2.f, static_cast<float>(kCell)});
    geo::set_edges(graph, edges);
    graph.travel = std::make_shared<geo::EuclideanTravel>(graph.site, 30.0);

    plan.lot_count = 3;
    plan.lot_of.resize(n);
    for (int i = 0; i < n; ++i) plan.lot_of[i] = col_of[i] / 3;
    plan.lot_of[n - 1] = geo::kNoLot;  // one unassigned unit
    plan.name = {"West Vale", "", "East Downs"};
    plan.tier = {"", "", ""};
    plan.hub = {-1, -1, -1};

    roads.main_roads.push_back(
        {"primary", "A3020", {{{kX0 - 500, kY0 + 2500}, {kX0 + 9500, kY0 + 3100}}}});
    roads.main_roads.push_back(
        {"secondary", "B3401", {{{kX0 + 4500, kY0 - 500}, {kX0 + 4400, kY0 + 6500}}}});
    roads.places.push_back({"Westford", "town", {kX0 + 1200, kY0 + 3300}});
    roads.places.push_back({"Midbury", "village", {kX0 + 4600, kY0 + 2200}});
    roads.places.push_back({"Eastcombe", "village", {kX0 + 7700, kY0 + 4100}});
    roads.places.push_back({"Far Off", "town", {kX0 + 60000, kY0}});  // outside: ignored

    metrics = geo::evaluate(graph, plan);
  }

  double assigned_hours() const {
    double h = 0;
    for (std::size_t u = 0; u < graph.size(); ++u)
      if (plan.lot_of[u] >= 0) h += graph.hours[u];
    return h;
  }

  // The published total: each zone's hours rounded to 5 (tender::zone_figures), summed.
  double published_hours() const {
    double h = 0;
    for (const auto& z : tender::zone_figures(graph, plan)) h += z.hours;
    return h;
  }

  tender::PackInputs inputs() const {
    tender::PackInputs in;
    in.config = &config;
    in.tender = tender;
    in.graph = &graph;
    in.units = &units;
    in.roads = &roads;
    in.plan = &plan;
    in.metrics = &metrics;
    return in;
  }
};

// A full UK postcode anywhere in text ("PO30 1AE", "PO301AE", "SW1A 1AA"): at a word start,
// 1-2 letters, a digit, an optional letter or digit, an optional space, a digit and two
// letters of the inward alphabet, then a word end. (Hand-written: std::regex trips GCC 12's
// maybe-uninitialized warning under ASan.)
inline bool has_full_postcode(const std::string& text, std::string* found = nullptr) {
  auto up = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto dig = [](char c) { return c >= '0' && c <= '9'; };
  auto word = [&](char c) { return up(c) || dig(c) || (c >= 'a' && c <= 'z') || c == '_'; };
  auto inward = [&](char c) { return up(c) && std::string("CIKMOV").find(c) == std::string::npos; };
  const std::size_t n = text.size();
  // Matches the rest of a postcode from i (after the outward code's first digit).
  auto rest = [&](std::size_t i, std::size_t start) -> std::size_t {
    for (int extra = 1; extra >= 0; --extra)
      for (int space = 1; space >= 0; --space) {
        std::size_t j = i;
        if (extra) {
          if (j >= n || !(up(text[j]) || dig(text[j]))) continue;
          ++j;
        }
        if (space) {
          if (j >= n || text[j] != ' ') continue;
          ++j;
        }
        if (j + 3 > n || !dig(text[j]) || !inward(text[j + 1]) || !inward(text[j + 2])) continue;
        if (j + 3 < n && word(text[j + 3])) continue;
        return j + 3 - start;
      }
    return 0;
  };
  for (std::size_t s = 0; s < n; ++s) {
    if (!up(text[s]) || (s > 0 && word(text[s - 1]))) continue;
    for (std::size_t letters = 1; letters <= 2; ++letters) {
      const std::size_t d = s + letters;
      if (d >= n || !dig(text[d]) || (letters == 2 && !up(text[s + 1]))) continue;
      if (const std::size_t len = rest(d + 1, s)) {
        if (found) *found = text.substr(s, len);
        return true;
      }
    }
  }
  return false;
}

// Fields of one CSV line without quotes ("a,,b," -> a, "", b, "").
inline std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',')
      out.emplace_back();
    else
      out.back() += c;
  }
  return out;
}

inline std::string run_text(const std::string& program, const std::vector<std::string>& args) {
  auto r = run_program(program, args);
  EXPECT_EQ(r.exit_code, 0) << program << ": " << r.err;
  return r.out;
}

inline int pdf_pages(const fs::path& pdf) {
  const std::string info = run_text("/usr/bin/pdfinfo", {pdf.string()});
  const auto at = info.find("Pages:");
  if (at == std::string::npos) return -1;
  return std::stoi(info.substr(at + 6));
}

// Every text a provider could read in the pack, by file (xlsx: its XML parts; pdf: text).
inline std::map<std::string, std::string> provider_texts(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& f : list_files(dir)) {
    const fs::path p = dir / f;
    if (f.ends_with(".pdf"))
      out[f] = run_text("/usr/bin/pdftotext", {p.string(), "-"});
    else if (f.ends_with(".xlsx"))
      out[f] = run_text("/usr/bin/unzip", {"-p", p.string()});
    else if (!f.ends_with(".gpkg"))
      out[f] = read_text(p);
  }
  // GeoPackages: every attribute of every layer through OGR.
  for (const char* name : {"lots.gpkg", "provider.gpkg"}) {
    if (!fs::exists(dir / name)) continue;
    GDALDatasetUniquePtr ds(GDALDataset::Open((dir / name).c_str(), GDAL_OF_VECTOR));
    std::string attrs;
    for (int l = 0; ds && l < ds->GetLayerCount(); ++l)
      for (auto&& feature : *ds->GetLayer(l))
        for (int i = 0; i < feature->GetFieldCount(); ++i)
          attrs += std::string(feature->GetFieldAsString(i)) + "\n";
    out[name] = attrs;
  }
  return out;
}

}  // namespace lotwright::test
