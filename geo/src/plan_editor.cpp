#include "lotwright/geo/plan_editor.hpp"
#include "lotwright/geo/error.hpp"
namespace lotwright::geo {
PlanEditor::PlanEditor(const UnitGraph& g, Plan plan) : g_(g), plan_(std::move(plan)) { throw DataError(std::string(__func__) + " is not implemented yet"); }
double PlanEditor::lot_hours(int) const { throw DataError(std::string(__func__) + " is not implemented yet"); }
double PlanEditor::lot_customers(int) const { throw DataError(std::string(__func__) + " is not implemented yet"); }
int PlanEditor::lot_units(int) const { throw DataError(std::string(__func__) + " is not implemented yet"); }
int PlanEditor::lot_pieces(int) const { throw DataError(std::string(__func__) + " is not implemented yet"); }
bool PlanEditor::assign(const std::vector<int>&, int) { throw DataError(std::string(__func__) + " is not implemented yet"); }
bool PlanEditor::undo() { throw DataError(std::string(__func__) + " is not implemented yet"); }
bool PlanEditor::redo() { throw DataError(std::string(__func__) + " is not implemented yet"); }
void PlanEditor::apply(const std::vector<int>&, const std::vector<int>&) { throw DataError(std::string(__func__) + " is not implemented yet"); }
void PlanEditor::recount_pieces(int) { throw DataError(std::string(__func__) + " is not implemented yet"); }
}  // namespace lotwright::geo
