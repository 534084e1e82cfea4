#pragma once
// Interactive editing of a plan (the viewer's model): moves keep lot totals and contiguity
// up to date incrementally; undo/redo. No display code.
//
// Totals (hours, customers, units) change by the moved units only; pieces are recounted
// only for the lots a step touched, by core's flood fill (PieceFinder) from that lot's
// members (kept in per-lot member lists, so a recount costs the lot's size, not the
// county's).
#include <cstdint>
#include <string>
#include <vector>

#include "lotwright/core/network.hpp"
#include "lotwright/core/pieces.hpp"
#include "lotwright/core/plan.hpp"

namespace lotwright::geo {

class PlanEditor {
 public:
  // Throws UsageError when plan.lot_of does not match the graph or names a lot outside
  // 0..lot_count-1 (kNoLot is allowed: unassigned).
  PlanEditor(const UnitGraph& g, Plan plan);
  const Plan& plan() const { return plan_; }
  const UnitGraph& graph() const { return g_; }
  int lot_count() const { return plan_.lot_count; }
  int lot_of(int unit) const { return plan_.lot_of.at(static_cast<std::size_t>(unit)); }
  double lot_hours(int lot) const;
  double lot_customers(int lot) const;
  int lot_units(int lot) const;
  int lot_pieces(int lot) const;  // connected parts on the adjacency
  // Units of a lot (unordered; kNoLot gives the unassigned units).
  const std::vector<int>& lot_members(int lot) const;
  double unassigned_hours() const;
  // Moves units into `lot` (0..lot_count-1, or kNoLot to unassign) as one undoable step;
  // returns false when nothing changed. Throws UsageError on a unit or lot out of range.
  bool assign(const std::vector<int>& units, int lot);
  // A stroke (a brush drag) merges every assign() into the same lot until end_stroke()
  // into one undoable step. Changing lot inside a stroke starts a new step.
  void begin_stroke();
  void end_stroke();
  bool undo();
  bool redo();
  bool can_undo() const { return !undo_.empty(); }
  bool can_redo() const { return !redo_.empty(); }
  // Lots whose totals changed since the last call (sorted, unique); for views that
  // refresh only what moved.
  std::vector<int> take_changed_lots();
  std::uint64_t revision() const { return revision_; }  // bumps on every change
  // Replaces the hubs (per lot, a unit or -1), e.g. after a re-evaluation; not undoable.
  void set_hubs(std::vector<int> hubs);

 private:
  struct Step {
    std::vector<int> units;
    std::vector<int> from;
    int to = 0;
  };
  void apply(const std::vector<int>& units, const std::vector<int>& lots);
  void recount_pieces(int lot);
  std::size_t slot(int lot) const;  // index into the per-lot vectors (kNoLot -> last)
  void check_lot(int lot) const;
  const UnitGraph& g_;
  Plan plan_;
  std::vector<double> hours_, customers_;  // per slot (lot_count lots + unassigned)
  std::vector<int> units_, pieces_;
  std::vector<std::vector<int>> members_;  // per slot
  std::vector<int> member_pos_;            // per unit: index in members_[slot]
  PieceFinder pieces_finder_;
  std::vector<Step> undo_, redo_;
  bool stroke_ = false;
  bool stroke_step_open_ = false;
  std::vector<char> changed_;
  std::uint64_t revision_ = 0;
};

}  // namespace lotwright::geo
