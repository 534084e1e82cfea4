#pragma once
// Interactive editing of a plan (the viewer's model): moves keep lot totals and contiguity
// up to date incrementally; undo/redo. No display code.
#include <string>
#include <vector>

#include "lotwright/geo/network.hpp"
#include "lotwright/geo/plan.hpp"

namespace lotwright::geo {

class PlanEditor {
 public:
  PlanEditor(const UnitGraph& g, Plan plan);
  const Plan& plan() const { return plan_; }
  double lot_hours(int lot) const;
  double lot_customers(int lot) const;
  int lot_units(int lot) const;
  int lot_pieces(int lot) const;  // connected parts on the adjacency
  // Moves units into `lot` as one undoable step; returns false when nothing changed.
  bool assign(const std::vector<int>& units, int lot);
  bool undo();
  bool redo();
  bool can_undo() const { return !undo_.empty(); }
  bool can_redo() const { return !redo_.empty(); }

 private:
  struct Step {
    std::vector<int> units;
    std::vector<int> from;
    int to = 0;
  };
  void apply(const std::vector<int>& units, const std::vector<int>& lots);
  void recount_pieces(int lot);
  const UnitGraph& g_;
  Plan plan_;
  std::vector<double> hours_, customers_;
  std::vector<int> units_, pieces_;
  std::vector<Step> undo_, redo_;
};

}  // namespace lotwright::geo
