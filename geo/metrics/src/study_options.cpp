#include "lotwright/metrics/study_options.hpp"

namespace lotwright::geo {

EvaluateOptions evaluate_options(const Study& study, const DesignConfig& design) {
  EvaluateOptions eo;
  eo.design = &design;
  double outside = 0;
  for (const auto& u : study.county.unassigned) outside += u.hours;
  eo.outside_unassigned_hours = outside;
  eo.unit_area_m2 = &study.graph.area_m2;
  eo.units = &study.units;  // lot perimeters for Polsby-Popper
  eo.rounds = &study.config.rounds;
  return eo;
}

}  // namespace lotwright::geo
