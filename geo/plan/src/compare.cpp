// compare_plans (compare.hpp): two plans of one study side by side.
#include "lotwright/plan/compare.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "gpkg_write.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"

namespace lotwright::geo {
namespace fs = std::filesystem;

namespace {

std::vector<MetricDifference> overall_differences(const PlanMetrics& ma, const PlanMetrics& mb) {
  std::vector<MetricDifference> d;
  auto add = [&](const char* name, double a, double b) { d.push_back({name, a, b}); };
  add("lots", static_cast<double>(ma.lots.size()), static_cast<double>(mb.lots.size()));
  add("total_hours", ma.total_hours, mb.total_hours);
  add("assigned_hours", ma.assigned_hours, mb.assigned_hours);
  add("unassigned_hours", ma.unassigned_hours, mb.unassigned_hours);
  add("max_deviation_pct", ma.max_deviation_pct, mb.max_deviation_pct);
  add("cv", ma.cv, mb.cv);
  add("lots_within_band", ma.lots_within_band, mb.lots_within_band);
  add("mean_travel_min", ma.mean_travel_min, mb.mean_travel_min);
  add("cut_edges", ma.cut_edges, mb.cut_edges);
  add("feasible", ma.feasible ? 1 : 0, mb.feasible ? 1 : 0);
  add("violations", static_cast<double>(ma.violations.size()),
      static_cast<double>(mb.violations.size()));
  if (ma.rounds_estimated && mb.rounds_estimated) {
    const RoundFigures& a = ma.rounds;
    const RoundFigures& b = mb.rounds;
    add("call_gap_median_min", a.call_gap_median_min, b.call_gap_median_min);
    add("call_gap_p90_min", a.call_gap_p90_min, b.call_gap_p90_min);
    add("call_gap_median_miles", a.call_gap_median_miles, b.call_gap_median_miles);
    add("legs_over_15_min_pct", a.legs_over_15_min_pct, b.legs_over_15_min_pct);
    add("legs_over_6_miles_pct", a.legs_over_6_miles_pct, b.legs_over_6_miles_pct);
    add("travel_min_per_contact_hour", a.travel_min_per_contact_hour,
        b.travel_min_per_contact_hour);
    add("workers_needed", a.workers_needed, b.workers_needed);
    add("travel_cost_per_contact_hour", a.travel_cost_per_contact_hour,
        b.travel_cost_per_contact_hour);
  }
  return d;
}

int lot_at(const Plan& p, std::size_t u) { return u < p.lot_of.size() ? p.lot_of[u] : kNoLot; }

const LotMetrics* lot_metrics(const PlanMetrics& m, int lot) {
  if (lot < 0) return nullptr;
  for (const auto& l : m.lots)
    if (l.lot == lot + 1) return &l;
  return nullptr;
}

std::string lot_name(const Plan& p, int lot) {
  if (lot < 0) return "";
  if (lot < static_cast<int>(p.name.size()) && !p.name[lot].empty()) return p.name[lot];
  return "lot " + std::to_string(lot + 1);
}

// Lots matched one to one by shared hours, largest first (the rule of kept_share, with the
// same order of ties: pairs keyed (lot of b, lot of a)). match[a] = lot of b or -1.
std::vector<int> match_lots(const UnitGraph& g, const Plan& a, const Plan& b,
                            std::vector<LotPair>& pairs) {
  std::map<std::pair<int, int>, double> shared;  // (lot b, lot a) -> hours
  for (std::size_t u = 0; u < g.size(); ++u) {
    const int la = lot_at(a, u), lb = lot_at(b, u);
    if (la != kNoLot && lb != kNoLot) shared[{lb, la}] += g.hours[u];
  }
  std::vector<std::pair<double, std::pair<int, int>>> order;
  for (const auto& [k, h] : shared) order.push_back({-h, k});
  std::sort(order.begin(), order.end());
  std::vector<int> match(std::max(a.lot_count, 0), -1);
  std::vector<char> used_b(std::max(b.lot_count, 0), 0);
  for (const auto& [neg, k] : order) {
    const auto [lb, la] = k;
    if (la >= a.lot_count || lb >= b.lot_count || match[la] >= 0 || used_b[lb]) continue;
    match[la] = lb;
    used_b[lb] = 1;
    LotPair p;
    p.lot_a = la;
    p.lot_b = lb;
    p.shared_hours = -neg;
    pairs.push_back(p);
  }
  for (int la = 0; la < a.lot_count; ++la)
    if (match[la] < 0) pairs.push_back(LotPair{la, -1, "", "", 0, nullptr, nullptr});
  for (int lb = 0; lb < b.lot_count; ++lb)
    if (!used_b[lb]) pairs.push_back(LotPair{-1, lb, "", "", 0, nullptr, nullptr});
  return match;
}

ReletSummary relet_summary(const UnitGraph& g, const Plan& a, const Plan& b,
                           const std::vector<int>& match, const std::vector<int>& relet) {
  ReletSummary s;
  s.lots = relet;
  std::sort(s.lots.begin(), s.lots.end());
  s.lots.erase(std::unique(s.lots.begin(), s.lots.end()), s.lots.end());
  if (s.lots.empty()) return s;
  std::vector<char> is_relet(match.size(), 0), b_of_relet(std::max(b.lot_count, 0), 0);
  for (int l : s.lots) {
    if (l < 0 || l >= static_cast<int>(match.size())) continue;
    is_relet[l] = 1;
    if (match[l] >= 0) b_of_relet[match[l]] = 1;
  }
  for (std::size_t u = 0; u < g.size(); ++u) {
    const int la = lot_at(a, u), lb = lot_at(b, u);
    const double h = g.hours[u];
    const bool from_relet = la != kNoLot && is_relet[la];
    const bool to_relet = lb != kNoLot && b_of_relet[lb];
    const bool kept = la != kNoLot && lb != kNoLot && match[la] == lb;
    if (from_relet) {
      s.hours += h;
      if (kept)
        s.kept_hours += h;
      else if (to_relet)
        s.moved_within_hours += h;
      else
        s.moved_out_hours += h;
    } else {
      if (to_relet) s.moved_in_hours += h;
      if (!kept && (la != kNoLot || lb != kNoLot)) s.untouched_changed_hours += h;
    }
  }
  return s;
}

}  // namespace

PlanComparison compare_plans(const UnitGraph& g, const Plan& a, const PlanMetrics& ma,
                             const Plan& b, const PlanMetrics& mb, const std::vector<int>& relet) {
  PlanComparison c;
  c.metrics = overall_differences(ma, mb);
  const std::vector<int> match = match_lots(g, a, b, c.lots);
  for (auto& p : c.lots) {
    p.name_a = lot_name(a, p.lot_a);
    p.name_b = lot_name(b, p.lot_b);
    p.metrics_a = lot_metrics(ma, p.lot_a);
    p.metrics_b = lot_metrics(mb, p.lot_b);
  }
  std::map<std::pair<int, int>, LotFlow> flows;
  for (std::size_t u = 0; u < g.size(); ++u) {
    c.total_hours += g.hours[u];
    const int la = lot_at(a, u), lb = lot_at(b, u);
    if (la == kNoLot && lb == kNoLot) continue;
    if (la != kNoLot && lb != kNoLot && la < static_cast<int>(match.size()) && match[la] == lb)
      continue;
    c.changed.push_back({static_cast<int>(u), g.id[u], la, lb, g.hours[u]});
    c.changed_hours += g.hours[u];
    LotFlow& f = flows[{la, lb}];
    f.lot_a = la;
    f.lot_b = lb;
    f.hours += g.hours[u];
    ++f.postcodes;
  }
  for (const auto& [k, f] : flows) c.flows.push_back(f);
  std::stable_sort(c.flows.begin(), c.flows.end(),
                   [](const LotFlow& x, const LotFlow& y) { return x.hours > y.hours; });
  c.kept_share = kept_share(g, b, a);
  c.relet = relet_summary(g, a, b, match, relet);
  return c;
}

std::vector<int> lots_by_label(const Plan& plan, const std::vector<std::string>& labels) {
  auto lower = [](std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  };
  std::vector<int> out;
  for (const auto& label : labels) {
    int found = -1;
    char* end = nullptr;
    const long n = std::strtol(label.c_str(), &end, 10);
    if (!label.empty() && end && *end == '\0') {
      if (n >= 1 && n <= plan.lot_count) found = static_cast<int>(n - 1);
    } else {
      for (int l = 0; l < plan.lot_count; ++l)
        if (l < static_cast<int>(plan.name.size()) && lower(plan.name[l]) == lower(label))
          found = l;
    }
    if (found < 0)
      throw UsageError("lot \"" + label + "\" is not a lot of the first plan (1.." +
                       std::to_string(plan.lot_count) + " or a lot name)");
    out.push_back(found);
  }
  return out;
}

namespace {

// The cell of unit u (when the units carry it) as the feature's geometry.
void set_cell(OGRFeature& f, const Units& units, const UnitGraph& g, std::size_t u) {
  if (u >= units.units.size() || units.units[u].id != g.id[u]) return;
  OGRMultiPolygon mp = gpkg::multipolygon(units.units[u].cell);
  if (!mp.IsEmpty()) f.SetGeometry(&mp);
}

}  // namespace

void write_comparison_gpkg(const fs::path& file, const UnitGraph& g, const Units& units,
                           const Plan& a, const Plan& b, const PlanComparison& c) {
  write_atomic(file, [&](const fs::path& tmp) {
    gpkg::Writer w(tmp, file);
    OGRLayer* ch = gpkg::create_layer(w.dataset(), file, "changes", &w.srs(), wkbMultiPolygon);
    gpkg::add_fields(ch, file,
                     {{"postcode", OFTString},
                      {"lot_a", OFTInteger},
                      {"lot_b", OFTInteger},
                      {"name_a", OFTString},
                      {"name_b", OFTString},
                      {"hours", OFTReal}});
    gpkg::check(ch->StartTransaction(), file, "changes");
    std::vector<char> changed(g.size(), 0);
    for (const auto& pc : c.changed) {
      changed[pc.unit] = 1;
      OGRFeature f(ch->GetLayerDefn());
      f.SetField("postcode", pc.postcode.c_str());
      f.SetField("lot_a", pc.lot_a + 1);
      f.SetField("lot_b", pc.lot_b + 1);
      f.SetField("name_a", lot_name(a, pc.lot_a).c_str());
      f.SetField("name_b", lot_name(b, pc.lot_b).c_str());
      f.SetField("hours", pc.hours);
      set_cell(f, units, g, pc.unit);
      gpkg::check(ch->CreateFeature(&f), file, "change " + pc.postcode);
    }
    gpkg::check(ch->CommitTransaction(), file, "changes");
    OGRLayer* lb = gpkg::create_layer(w.dataset(), file, "lots_b", &w.srs(), wkbMultiPolygon);
    gpkg::add_fields(lb, file,
                     {{"postcode", OFTString},
                      {"lot", OFTInteger},
                      {"name", OFTString},
                      {"changed", OFTInteger}});
    gpkg::check(lb->StartTransaction(), file, "lots_b");
    for (std::size_t u = 0; u < g.size(); ++u) {
      OGRFeature f(lb->GetLayerDefn());
      f.SetField("postcode", g.id[u].c_str());
      f.SetField("lot", lot_at(b, u) + 1);
      f.SetField("name", lot_name(b, lot_at(b, u)).c_str());
      f.SetField("changed", changed[u] ? 1 : 0);
      set_cell(f, units, g, u);
      gpkg::check(lb->CreateFeature(&f), file, "unit " + g.id[u]);
    }
    gpkg::check(lb->CommitTransaction(), file, "lots_b");
    w.close();
  });
}

namespace {

std::string fmt(double v, int decimals) {
  if (std::fabs(v) < 0.5 * std::pow(10.0, -decimals)) v = 0;  // no "-0.0"
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string pad(const std::string& s, std::size_t w) {
  return s.size() >= w ? s : s + std::string(w - s.size(), ' ');
}

std::string lpad(const std::string& s, std::size_t w) {
  return s.size() >= w ? s : std::string(w - s.size(), ' ') + s;
}

}  // namespace

std::string comparison_text(const PlanComparison& c, const Plan& a, const Plan& b) {
  std::ostringstream o;
  o << pad("figure", 30) << lpad("A", 12) << lpad("B", 12) << lpad("B - A", 12) << "\n";
  for (const auto& m : c.metrics)
    o << pad(m.metric, 30) << lpad(fmt(m.a, 2), 12) << lpad(fmt(m.b, 2), 12)
      << lpad(fmt(m.difference(), 2), 12) << "\n";
  o << "\nlots matched by shared hours:\n"
    << pad("lot A", 28) << pad("lot B", 28) << lpad("hours A", 9) << lpad("hours B", 9)
    << lpad("shared", 9) << lpad("travel A", 9) << lpad("travel B", 9) << lpad("p90gap A", 9)
    << lpad("p90gap B", 9) << "\n";
  auto val = [](const LotMetrics* m, double LotMetrics::*f) {
    return m ? fmt(m->*f, 1) : std::string("-");
  };
  auto gap = [](const LotMetrics* m) {
    return m ? fmt(m->rounds.call_gap_p90_min, 1) : std::string("-");
  };
  for (const auto& p : c.lots) {
    const std::string na = p.lot_a < 0 ? "-" : std::to_string(p.lot_a + 1) + " " + p.name_a;
    const std::string nb = p.lot_b < 0 ? "-" : std::to_string(p.lot_b + 1) + " " + p.name_b;
    o << pad(na.substr(0, 27), 28) << pad(nb.substr(0, 27), 28)
      << lpad(val(p.metrics_a, &LotMetrics::hours), 9)
      << lpad(val(p.metrics_b, &LotMetrics::hours), 9) << lpad(fmt(p.shared_hours, 1), 9)
      << lpad(val(p.metrics_a, &LotMetrics::mean_travel_min), 9)
      << lpad(val(p.metrics_b, &LotMetrics::mean_travel_min), 9) << lpad(gap(p.metrics_a), 9)
      << lpad(gap(p.metrics_b), 9) << "\n";
  }
  o << "\nhours that change lot: " << fmt(c.changed_hours, 1) << " of " << fmt(c.total_hours, 1)
    << " (" << c.changed.size() << " postcodes); kept share " << fmt(100 * c.kept_share, 1)
    << "%\n";
  for (const auto& f : c.flows)
    o << "  " << (f.lot_a < 0 ? "(none)" : lot_name(a, f.lot_a)) << " -> "
      << (f.lot_b < 0 ? "(none)" : lot_name(b, f.lot_b)) << ": " << fmt(f.hours, 1) << " h, "
      << f.postcodes << " postcodes\n";
  const ReletSummary& r = c.relet;
  if (!r.lots.empty()) {
    o << "\nre-let lots:";
    for (int l : r.lots) o << " " << l + 1 << " (" << lot_name(a, l) << ")";
    o << "\n  hours in them: " << fmt(r.hours, 1) << "; kept in their lot " << fmt(r.kept_hours, 1)
      << "; moved between re-let lots " << fmt(r.moved_within_hours, 1)
      << "; moved out to other lots " << fmt(r.moved_out_hours, 1)
      << "\n  moved in from lots not re-let " << fmt(r.moved_in_hours, 1)
      << "; hours of lots not re-let that changed lot " << fmt(r.untouched_changed_hours, 1)
      << "\n";
  }
  return o.str();
}

std::string changes_csv(const PlanComparison& c) {
  std::string s = "postcode,lot_a,lot_b,hours\n";
  for (const auto& pc : c.changed)
    s += pc.postcode + "," + std::to_string(pc.lot_a + 1) + "," + std::to_string(pc.lot_b + 1) +
         "," + fmt(pc.hours, 2) + "\n";
  return s;
}

}  // namespace lotwright::geo
