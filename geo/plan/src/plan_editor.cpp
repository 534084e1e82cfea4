#include "lotwright/plan/plan_editor.hpp"

#include <algorithm>

#include "lotwright/core/error.hpp"

namespace lotwright::geo {

PlanEditor::PlanEditor(const UnitGraph& g, Plan plan) : g_(g), plan_(std::move(plan)) {
  const std::size_t n = g_.size();
  if (plan_.lot_of.size() != n)
    throw UsageError("plan editor: the plan has " + std::to_string(plan_.lot_of.size()) +
                     " units, the graph " + std::to_string(n));
  if (plan_.lot_count < 0) throw UsageError("plan editor: negative lot count");
  if (!g_.offsets.empty() && g_.offsets.size() != n + 1)
    throw UsageError("plan editor: adjacency offsets do not match the units");
  const std::size_t slots = static_cast<std::size_t>(plan_.lot_count) + 1;
  hours_.assign(slots, 0);
  customers_.assign(slots, 0);
  units_.assign(slots, 0);
  pieces_.assign(slots, 0);
  members_.assign(slots, {});
  member_pos_.assign(n, 0);
  changed_.assign(slots, 0);
  for (std::size_t u = 0; u < n; ++u) {
    const int lot = plan_.lot_of[u];
    check_lot(lot);
    const std::size_t s = slot(lot);
    hours_[s] += u < g_.hours.size() ? g_.hours[u] : 0;
    customers_[s] += u < g_.customers.size() ? g_.customers[u] : 0;
    ++units_[s];
    member_pos_[u] = static_cast<int>(members_[s].size());
    members_[s].push_back(static_cast<int>(u));
  }
  for (int lot = 0; lot < plan_.lot_count; ++lot) recount_pieces(lot);
}

std::size_t PlanEditor::slot(int lot) const {
  return lot == kNoLot ? static_cast<std::size_t>(plan_.lot_count) : static_cast<std::size_t>(lot);
}

void PlanEditor::check_lot(int lot) const {
  if (lot != kNoLot && (lot < 0 || lot >= plan_.lot_count))
    throw UsageError("plan editor: lot " + std::to_string(lot + 1) +
                     " does not exist (the plan has " + std::to_string(plan_.lot_count) + " lots)");
}

double PlanEditor::lot_hours(int lot) const {
  check_lot(lot);
  return hours_[slot(lot)];
}

double PlanEditor::lot_customers(int lot) const {
  check_lot(lot);
  return customers_[slot(lot)];
}

int PlanEditor::lot_units(int lot) const {
  check_lot(lot);
  return units_[slot(lot)];
}

int PlanEditor::lot_pieces(int lot) const {
  check_lot(lot);
  return lot == kNoLot ? 0 : pieces_[slot(lot)];
}

const std::vector<int>& PlanEditor::lot_members(int lot) const {
  check_lot(lot);
  return members_[slot(lot)];
}

double PlanEditor::unassigned_hours() const { return hours_[slot(kNoLot)]; }

bool PlanEditor::assign(const std::vector<int>& units, int lot) {
  check_lot(lot);
  const std::size_t n = g_.size();
  std::vector<int> moved;
  for (int u : units) {
    if (u < 0 || static_cast<std::size_t>(u) >= n)
      throw UsageError("plan editor: unit " + std::to_string(u) + " does not exist");
    if (plan_.lot_of[static_cast<std::size_t>(u)] != lot) moved.push_back(u);
  }
  if (moved.empty()) return false;
  std::sort(moved.begin(), moved.end());
  moved.erase(std::unique(moved.begin(), moved.end()), moved.end());
  std::vector<int> from;
  from.reserve(moved.size());
  for (int u : moved) from.push_back(plan_.lot_of[static_cast<std::size_t>(u)]);

  const bool merge = stroke_ && stroke_step_open_ && !undo_.empty() && undo_.back().to == lot;
  if (merge) {
    Step& s = undo_.back();
    s.units.insert(s.units.end(), moved.begin(), moved.end());
    s.from.insert(s.from.end(), from.begin(), from.end());
  } else {
    undo_.push_back(Step{moved, from, lot});
    stroke_step_open_ = stroke_;
  }
  redo_.clear();
  apply(moved, std::vector<int>(moved.size(), lot));
  return true;
}

void PlanEditor::begin_stroke() {
  stroke_ = true;
  stroke_step_open_ = false;
}

void PlanEditor::end_stroke() {
  stroke_ = false;
  stroke_step_open_ = false;
}

bool PlanEditor::undo() {
  if (undo_.empty()) return false;
  stroke_step_open_ = false;
  Step s = std::move(undo_.back());
  undo_.pop_back();
  apply(s.units, s.from);
  redo_.push_back(std::move(s));
  return true;
}

bool PlanEditor::redo() {
  if (redo_.empty()) return false;
  stroke_step_open_ = false;
  Step s = std::move(redo_.back());
  redo_.pop_back();
  apply(s.units, std::vector<int>(s.units.size(), s.to));
  undo_.push_back(std::move(s));
  return true;
}

std::vector<int> PlanEditor::take_changed_lots() {
  std::vector<int> out;
  for (std::size_t s = 0; s < changed_.size(); ++s) {
    if (!changed_[s]) continue;
    out.push_back(s == slot(kNoLot) ? kNoLot : static_cast<int>(s));
    changed_[s] = 0;
  }
  std::sort(out.begin(), out.end());
  return out;
}

void PlanEditor::set_hubs(std::vector<int> hubs) {
  if (hubs.size() != static_cast<std::size_t>(plan_.lot_count))
    throw UsageError("plan editor: " + std::to_string(hubs.size()) + " hubs for " +
                     std::to_string(plan_.lot_count) + " lots");
  for (int h : hubs)
    if (h < -1 || h >= static_cast<int>(g_.size()))
      throw UsageError("plan editor: hub unit " + std::to_string(h) + " does not exist");
  plan_.hub = std::move(hubs);
}

void PlanEditor::apply(const std::vector<int>& units, const std::vector<int>& lots) {
  std::vector<int> touched;
  for (std::size_t i = 0; i < units.size(); ++i) {
    const auto u = static_cast<std::size_t>(units[i]);
    const int old_lot = plan_.lot_of[u], new_lot = lots[i];
    if (old_lot == new_lot) continue;
    const std::size_t a = slot(old_lot), b = slot(new_lot);
    const double h = u < g_.hours.size() ? g_.hours[u] : 0;
    const double c = u < g_.customers.size() ? g_.customers[u] : 0;
    hours_[a] -= h;
    customers_[a] -= c;
    --units_[a];
    hours_[b] += h;
    customers_[b] += c;
    ++units_[b];
    // Swap-remove from the old lot's members, append to the new lot's.
    auto& from = members_[a];
    const int pos = member_pos_[u];
    from[static_cast<std::size_t>(pos)] = from.back();
    member_pos_[static_cast<std::size_t>(from.back())] = pos;
    from.pop_back();
    member_pos_[u] = static_cast<int>(members_[b].size());
    members_[b].push_back(static_cast<int>(u));
    plan_.lot_of[u] = new_lot;
    touched.push_back(old_lot);
    touched.push_back(new_lot);
  }
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (int lot : touched) {
    const std::size_t s = slot(lot);
    if (units_[s] == 0) {  // no rounding residue in an empty lot: hours are never "lost"
      hours_[s] = 0;
      customers_[s] = 0;
    }
    if (lot != kNoLot) recount_pieces(lot);
    changed_[s] = 1;
  }
  if (!touched.empty()) ++revision_;
}

void PlanEditor::recount_pieces(int lot) {
  const std::size_t s = slot(lot);
  pieces_[s] = pieces_finder_.label(g_, plan_.lot_of, lot, members_[s]);
}

}  // namespace lotwright::geo
