#pragma once
// The evaluation options of a plan of a loaded study: what `design`, `evaluate`, `tender` and
// the viewer's "Write tender pack" all evaluate with (moved here from design/workflow.hpp so
// the viewer, which may not include design, calls the same function).
#include "lotwright/metrics/metrics.hpp"
#include "lotwright/study/study.hpp"

namespace lotwright::geo {

// Options for evaluating a plan of the study (bands, hours outside, cell areas and lot
// perimeters). `study` and `design` must outlive the options (they point at them).
EvaluateOptions evaluate_options(const Study& study, const DesignConfig& design);

}  // namespace lotwright::geo
