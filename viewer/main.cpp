// lotwright-viewer PLAN.gpkg | --db PG:... --scenario NAME [--replace]
//                  [--provider] [--script FILE] [--screenshot PNG] [--dump-text FILE] [--size WxH]
// Exit codes: 0 ok, 1 bad data (plan, script) or no display, 2 bad usage.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "lot_viewer.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/store/store.hpp"
#include "lotwright/tender/provider_package.hpp"
#include "provider_view.hpp"

namespace {

constexpr const char* kUsage =
    "usage: lotwright-viewer PLAN.gpkg [--provider] [--script FILE] [--screenshot PNG]\n"
    "                        [--dump-text FILE] [--size WxH]\n"
    "       lotwright-viewer --db PG:... --scenario NAME [--replace] [options as above]\n"
    "  PLAN.gpkg         a plan written by `lotwright design` / `run` (layers units, lots, ...)\n"
    "  --db PG:...       the team store (docs/database.md), with --scenario NAME: open that\n"
    "                    scenario's plan; \"Store as scenario\" (script: store NAME) writes the\n"
    "                    edited plan as a new scenario\n"
    "  --replace         let \"Store as scenario\" replace an existing scenario of that name\n"
    "  --provider        read-only provider view of a provider package, tender/provider.gpkg\n"
    "                    (written by lotwright tender): zones, published figures, postcode\n"
    "                    sectors; no editing, no saving (script: select, hover, zoom only)\n"
    "  --script FILE     run one command a line, then exit: assign POSTCODE LOT,\n"
    "                    select POSTCODE, undo, redo, save PATH.csv|DIR, provider on|off,\n"
    "                    zoom LOT|all, evaluate, tender DIR\n"
    "  --screenshot PNG  write the last frame as PNG, then exit\n"
    "  --dump-text FILE  write every string the last frame drew, one a line, then exit\n"
    "  --dump-labels CSV write the map labels the last frame placed (lot,x0,y0,x1,y1 in\n"
    "                    window pixels), then exit\n"
    "  --size WxH        window size (default 1280x800)\n"
    "  --frames N        benchmark: N frames of scripted zooming and brush painting, then exit\n"
    "  --stats           print load time and frame times at exit\n"
    "  --interactive     keep the window for a user; --dump-text and --screenshot are\n"
    "                    written when the user quits with Ctrl+Q\n"
    "keys: B brush, V select, F fit, 1-9 0 lot (Shift +10), [ ] previous/next lot,\n"
    "      Ctrl+Z undo, Ctrl+Y or Ctrl+Shift+Z redo, Ctrl+S save CSV, Ctrl+Q quit\n";

int usage_error(const std::string& message) {
  std::cerr << "lotwright-viewer: " << message << "\n" << kUsage;
  return 2;
}

// --provider: the provider package and nothing else; a plan (postcode-level) is refused.
int run_provider(const lotwright::viewer::ViewerOptions& opt,
                 std::vector<lotwright::viewer::ScriptCommand> script) {
  lotwright::tender::ProviderPackage package;
  try {
    const std::string refusal = lotwright::tender::provider_refusal(opt.plan);
    if (!refusal.empty()) {
      std::cerr << "lotwright-viewer: " << refusal << "\n";
      return 1;
    }
    package = lotwright::tender::read_provider_package(opt.plan);
    lotwright::viewer::ProviderView::check_script(script);
  } catch (const std::exception& e) {
    std::cerr << "lotwright-viewer: " << e.what() << "\n";
    return 1;
  }
  lotwright::viewer::ProviderView view(opt, std::move(script), std::move(package));
  if (!view.ok()) {
    std::cerr << "lotwright-viewer: " << view.error() << "\n";
    return 1;
  }
  return view.run();
}

}  // namespace

int main(int argc, char** argv) {
  using lotwright::viewer::ViewerOptions;
  ViewerOptions opt;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* name) -> const std::string* {
      if (i + 1 >= args.size()) return nullptr;
      (void)name;
      return &args[++i];
    };
    if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--provider") {
      opt.provider = true;
    } else if (a == "--interactive") {
      opt.interactive = true;
    } else if (a == "--stats") {
      opt.stats = true;
    } else if (a == "--frames") {
      const std::string* v = value("--frames");
      char tail = 0;
      if (!v || std::sscanf(v->c_str(), "%d%c", &opt.frames, &tail) != 1 || opt.frames < 0 ||
          opt.frames > 100000)
        return usage_error("--frames needs a count (0 to 100000)");
    } else if (a == "--replace") {
      opt.replace = true;
    } else if (a == "--db" || a == "--scenario") {
      const std::string* v = value(a.c_str());
      if (!v) return usage_error(a + " needs a value");
      if (a == "--db" && v->rfind("PG:", 0) != 0)
        return usage_error("--db \"" + *v + "\": expected PG:dbname=... host=...");
      (a == "--db" ? opt.db : opt.scenario) = *v;
    } else if (a == "--script" || a == "--screenshot" || a == "--dump-text" ||
               a == "--dump-labels" || a == "--size") {
      const std::string* v = value(a.c_str());
      if (!v) return usage_error(a + " needs a value");
      if (a == "--script")
        opt.script = *v;
      else if (a == "--screenshot")
        opt.screenshot = *v;
      else if (a == "--dump-text")
        opt.dump_text = *v;
      else if (a == "--dump-labels")
        opt.dump_labels = *v;
      else {
        int w = 0, h = 0;
        char tail = 0;
        if (std::sscanf(v->c_str(), "%dx%d%c", &w, &h, &tail) != 2 || w < 320 || h < 240 ||
            w > 8192 || h > 8192)
          return usage_error("--size \"" + *v +
                             "\": expected WxH, e.g. 1600x1000 (320x240 to 8192x8192)");
        opt.width = w;
        opt.height = h;
      }
    } else if (!a.empty() && a[0] == '-') {
      return usage_error("unknown option " + a);
    } else if (opt.plan.empty()) {
      opt.plan = a;
    } else {
      return usage_error("one plan only (got " + opt.plan.string() + " and " + a + ")");
    }
  }
  if (opt.db.empty() != opt.scenario.empty())
    return usage_error("--db and --scenario go together (--db PG:... --scenario NAME)");
  if (!opt.db.empty() && !opt.plan.empty())
    return usage_error("give PLAN.gpkg or --db/--scenario, not both");
  if (opt.replace && opt.db.empty()) return usage_error("--replace needs --db and --scenario");
  if (opt.plan.empty() && opt.db.empty()) return usage_error("no plan given");
  if (opt.provider && !opt.db.empty()) {
    // A scenario is the commissioner's plan, postcode by postcode: never the provider view.
    std::cerr << "lotwright-viewer: scenario \"" << opt.scenario
              << "\" is a postcode-level plan; --provider opens provider packages only "
                 "(tender/provider.gpkg, written by lotwright tender)\n";
    return 1;
  }

  std::vector<lotwright::viewer::ScriptCommand> script;
  std::optional<lotwright::geo::ScenarioPlanFile> scenario;  // lives as long as the viewer
  try {
    if (opt.db.empty() && !std::filesystem::exists(opt.plan))
      throw lotwright::geo::DataError(lotwright::geo::where(opt.plan) + "no such file");
    if (!opt.script.empty()) script = lotwright::viewer::read_script(opt.script);
    if (!opt.db.empty()) {
      scenario.emplace(opt.db, opt.scenario, lotwright::geo::ScenarioFileKind::plan_gpkg);
      opt.plan = scenario->path();
    }
  } catch (const std::exception& e) {
    std::cerr << "lotwright-viewer: " << e.what() << "\n";
    return 1;
  }

  if (opt.provider) return run_provider(opt, std::move(script));
  lotwright::viewer::LotViewer viewer(opt, std::move(script));
  if (!viewer.ok()) {
    std::cerr << "lotwright-viewer: " << viewer.error() << "\n";
    return 1;
  }
  return viewer.run();
}
