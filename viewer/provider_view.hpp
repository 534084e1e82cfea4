#pragma once
// The provider view (lotwright-viewer --provider tender/provider.gpkg): the zones of a
// provider package in their colours with labels; hover or click a zone for its published
// figures and its postcode-sector rows. Fed only by tender::read_provider_package: no plan,
// no postcode, no editing, no saving, no tender writing. The only files it writes are the
// ones asked for on the command line (--screenshot, --dump-text), outside the package.
#include <filesystem>
#include <string>
#include <vector>

#include "app.hpp"
#include "lot_viewer.hpp"  // ViewerOptions
#include "lotwright/tender/provider_package.hpp"
#include "script.hpp"

namespace lotwright::viewer {

class ProviderView : public App {
 public:
  // package: read by the caller (main) so a bad package fails before any window opens.
  ProviderView(ViewerOptions options, std::vector<ScriptCommand> script,
               tender::ProviderPackage package);
  // Throws DataError naming the script line of a verb the read-only view does not take.
  static void check_script(const std::vector<ScriptCommand>& script);
  void update() override;
  void captured(int width, int height, const std::vector<unsigned char>& rgba) override;
  void stop() override;

 private:
  bool headless() const;
  void step_script();
  void fit();
  void draw_map();
  void draw_panel();
  void draw_zone(int z);
  int zone_at(ImVec2 screen) const;
  ImVec2 to_screen(geo::Point p) const;
  void text(const std::string& s);  // ImGui text, recorded for --dump-text

  ViewerOptions opt_;
  std::vector<ScriptCommand> script_;
  std::size_t next_command_ = 0;
  tender::ProviderPackage pkg_;
  std::vector<std::vector<geo::Point>> triangles_;  // per zone
  geo::Box world_;
  double cx_ = 0, cy_ = 0, ppm_ = 1;  // camera: world centre, pixels per metre
  ImVec2 map_min_, map_max_;          // the map's screen rectangle
  int hover_ = -1, selected_ = -1;    // zone index
  int frame_ = 0, settle_ = 0;
  bool failed_ = false, finished_ = false;
  std::vector<std::string> texts_, final_texts_;
  std::vector<unsigned char> shot_;
  int shot_w_ = 0, shot_h_ = 0;
};

}  // namespace lotwright::viewer
