#pragma once
// "Write tender pack" from the viewer: the edited plan through the same steps and library
// calls as `lotwright tender CONFIG --plan PLAN.csv --out DIR` (load the plan's study, read the
// plan by postcode, evaluate, tender::write_tender_pack), run off the frame loop.
#include <atomic>
#include <filesystem>
#include <string>

#include "lotwright/core/plan.hpp"
#include "lotwright/plan/plan_store.hpp"

namespace lotwright::viewer {

// What the job is doing, for the panel's progress line.
enum class TenderStage : int { kIdle, kStudy, kEvaluate, kPack, kDone };
const char* stage_text(TenderStage s);

// Writes the pack of `plan` (over the store's units) into dir; returns the line to show
// ("tender pack: N zones, ... files in DIR"). Throws DataError when the plan names no config
// or its study does not load.
std::string write_pack(const geo::PlanStore& store, const geo::Plan& plan,
                       const std::filesystem::path& dir, std::atomic<int>* stage);

}  // namespace lotwright::viewer
