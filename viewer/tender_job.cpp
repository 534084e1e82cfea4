#include "tender_job.hpp"

#include <unistd.h>

#include "lotwright/core/error.hpp"
#include "lotwright/metrics/study_options.hpp"
#include "lotwright/plan/plan_csv.hpp"
#include "lotwright/plan/plan_io.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/study.hpp"
#include "lotwright/tender/pack_folder.hpp"
#include "lotwright/tender/tender.hpp"

namespace lotwright::viewer {

const char* stage_text(TenderStage s) {
  switch (s) {
    case TenderStage::kStudy:
      return "tender pack: 1/3 loading the study (inputs, roads) ...";
    case TenderStage::kEvaluate:
      return "tender pack: 2/3 evaluating the plan ...";
    case TenderStage::kPack:
      return "tender pack: 3/3 writing the schedule, maps and layers ...";
    default:
      return "";
  }
}

std::string write_pack(const geo::PlanStore& store, const geo::Plan& plan,
                       const std::filesystem::path& dir, std::atomic<int>* stage) {
  if (store.meta.config.empty())
    throw geo::DataError(
        "the plan names no config (meta): write the pack with `lotwright "
        "tender CONFIG --plan PLAN.csv --out DIR`");
  stage->store(static_cast<int>(TenderStage::kStudy));
  const geo::Config cfg = geo::load_config(store.meta.config);
  const tender::TenderConfig tender_cfg = tender::load_tender_config(cfg);
  // The folder is checked and locked before any work, as `lotwright tender` does.
  tender::PackFolder folder(dir, geo::config_inputs(cfg));
  const geo::Study study = geo::load_study(cfg);
  // The plan as `tender --plan` reads it: by postcode, through the one postcode,lot reader,
  // from the assignment.csv the viewer saves (written beside the pack, then removed).
  const std::filesystem::path csv = std::filesystem::temp_directory_path() /
                                    ("lotwright-viewer-" + std::to_string(::getpid()) + ".csv");
  geo::save_assignment_csv(csv, store.graph, plan);
  std::vector<std::string> problems;
  geo::Plan study_plan;
  try {
    study_plan = geo::read_plan_csv(csv, study.graph, &problems);
  } catch (...) {
    std::filesystem::remove(csv);
    throw;
  }
  std::filesystem::remove(csv);
  stage->store(static_cast<int>(TenderStage::kEvaluate));
  const geo::PlanMetrics metrics =
      geo::evaluate(study.graph, study_plan, geo::evaluate_options(study, cfg.design));
  stage->store(static_cast<int>(TenderStage::kPack));
  const tender::PackSummary s =
      folder.write(tender::pack_inputs(study, tender_cfg, study_plan, metrics));
  stage->store(static_cast<int>(TenderStage::kDone));
  return "tender pack: " + std::to_string(s.zones) + " zones, " + std::to_string(s.lots) +
         " lots, " + std::to_string(static_cast<long>(s.hours + 0.5)) + " weekly hours; " +
         std::to_string(s.files.size()) + " files in " + folder.destination().string() +
         (problems.empty() ? "" : " (" + std::to_string(problems.size()) + " plan warnings)");
}

}  // namespace lotwright::viewer
