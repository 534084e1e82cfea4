// "Compare with...": computing the comparison (off the frame loop), its panel section and the
// outlines of the changed postcodes on the map.
#include "compare_panel.hpp"

#include <imgui.h>

#include <chrono>
#include <cstdio>
#include <future>

#include "lot_viewer.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/plan/plan_csv.hpp"
#include "lotwright/tender/naming.hpp"
#include "ui_common.hpp"

namespace lotwright::viewer {

std::filesystem::path compare_source(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return path / "assignment.csv";
  return path;
}

std::unique_ptr<Comparison> compare_with(const geo::PlanStore& store, const geo::Plan& current,
                                         const std::filesystem::path& path) {
  auto c = std::make_unique<Comparison>();
  c->path = compare_source(path);
  if (!std::filesystem::is_regular_file(c->path))
    throw geo::DataError(geo::where(c->path) +
                         "no plan to compare with (a plan CSV "
                         "postcode,lot[,hub] or a plan folder)");
  c->b = geo::read_plan_csv(c->path, store.graph, &c->problems);
  c->a = current;
  c->ma = geo::evaluate_store_plan(store, c->a);
  c->mb = geo::evaluate_store_plan(store, c->b);
  c->result = geo::compare_plans(store.graph, c->a, c->ma, c->b, c->mb);
  return c;
}

std::string compare_summary(const Comparison& c) {
  char buf[160];
  std::snprintf(buf, sizeof buf,
                "compare: kept_share=%.4f, changed_hours=%.1f, changed_postcodes=%zu",
                c.result.kept_share, c.result.changed_hours, c.result.changed.size());
  return buf;
}

void LotViewer::start_compare(const std::filesystem::path& path) {
  const geo::Plan plan = model_->editor().plan();
  const ViewModel* model = model_.get();
  compare_revision_ = model_->editor().revision();
  compare_job_ = std::async(
      std::launch::async, [model, plan, path] { return compare_with(model->store(), plan, path); });
}

void LotViewer::poll_compare() {
  if (!compare_job_.valid() ||
      compare_job_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
    return;
  try {
    compare_ = compare_job_.get();
    status_ = "compared with " + compare_->path.string();
    status_error_ = false;
  } catch (const std::exception& e) {
    compare_.reset();
    status_ = std::string("comparison failed: ") + e.what();
    status_error_ = true;
    if (headless()) fail(status_);
  }
}

void LotViewer::draw_compare_outlines(ImDrawList* dl) {
  // Changed postcodes: a black-and-magenta outline, unlike any lot fill, the selection (gold)
  // or the hover (white).
  if (!compare_ || provider_) return;
  for (const auto& ch : compare_->result.changed) {
    draw_cell_outline(dl, ch.unit, IM_COL32(20, 20, 20, 255), 4.f);
    draw_cell_outline(dl, ch.unit, IM_COL32(255, 0, 200, 255), 2.f);
  }
}

void LotViewer::draw_compare_section() {
  ImGui::Separator();
  ImGui::InputText("Plan B", compare_path_, sizeof compare_path_);
  ImGui::BeginDisabled(busy());
  if (button("Compare with...")) start_compare(compare_path_);
  ImGui::EndDisabled();
  if (compare_job_.valid()) text("comparing ...");
  if (!compare_) return;
  const auto& r = compare_->result;
  wrapped("This plan (A) against " + compare_->path.filename().string() + " (B)");
  if (compare_revision_ != model_->editor().revision())
    text_coloured(kNear, "A is the plan before the last edits: Compare again");
  if (!compare_->problems.empty())
    text_coloured(kNear, std::to_string(compare_->problems.size()) +
                             " problems reading B; first: " + compare_->problems.front());
  wrapped("Kept share " + fmt("%.1f%%", 100 * r.kept_share) + ": " + fmt("%.1f", r.changed_hours) +
          " of " + fmt("%.1f", r.total_hours) + " h/week change lot (" +
          std::to_string(r.changed.size()) + " postcodes, outlined in magenta)");
  wrapped(compare_summary(*compare_));
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollY;
  const float row_h = ImGui::GetTextLineHeightWithSpacing();
  auto height = [&](std::size_t rows) {
    return ImVec2(0, std::min(row_h * static_cast<float>(rows + 1) + 8.f,
                              ImGui::GetIO().DisplaySize.y * 0.3f));
  };
  if (ImGui::BeginTable("compare_lots", 5, flags, height(r.lots.size()))) {
    for (const char* h : {"Zone A", "Zone B", "Hours A", "Hours B", "Shared"}) {
      const bool lot = h[0] == 'Z';  // long names: clipped, as in the zone table
      ImGui::TableSetupColumn(h, lot ? ImGuiTableColumnFlags_WidthFixed : 0, lot ? 105.f : 0.f);
      texts_.push_back(h);
    }
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableHeadersRow();
    auto name = [](int lot, const std::string& n) {
      return lot < 0 ? std::string("-") : tender::zone_title(lot + 1, n, true);
    };
    auto hours = [](const geo::LotMetrics* m) {
      return m ? fmt("%.1f", m->hours) : std::string("-");
    };
    for (const auto& p : r.lots) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      text(name(p.lot_a, p.name_a));
      ImGui::TableNextColumn();
      text(name(p.lot_b, p.name_b));
      ImGui::TableNextColumn();
      text(hours(p.metrics_a));
      ImGui::TableNextColumn();
      text(hours(p.metrics_b));
      ImGui::TableNextColumn();
      text(fmt("%.1f", p.shared_hours));
    }
    ImGui::EndTable();
  }
  if (ImGui::BeginTable("compare_metrics", 4, flags, height(r.metrics.size()))) {
    for (const char* h : {"Figure", "A", "B", "B - A"}) {
      ImGui::TableSetupColumn(h);
      texts_.push_back(h);
    }
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableHeadersRow();
    for (const auto& m : r.metrics) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      text(m.metric);
      ImGui::TableNextColumn();
      text(fmt("%.2f", m.a));
      ImGui::TableNextColumn();
      text(fmt("%.2f", m.b));
      ImGui::TableNextColumn();
      text(fmt("%+.2f", m.difference()));
    }
    ImGui::EndTable();
  }
}

}  // namespace lotwright::viewer
