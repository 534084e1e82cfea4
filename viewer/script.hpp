#pragma once
// Headless scripts: one command a line, run in order, then the viewer exits.
//   assign POSTCODE LOT     (LOT 1-based; 0 unassigns)     select POSTCODE
//   undo | redo             save PATH.csv | save DIR        provider on|off
//   zoom LOT|all            evaluate                        # comment
//   hover POSTCODE          (shows the hover card for that unit, as the mouse would)
//   tender DIR              (Write tender pack: the edited plan's pack into DIR)
//   compare PATH            (Compare with...: a plan CSV or a plan folder, as plan B)
//   store NAME              (--db: the edited plan as scenario NAME, docs/database.md)
// Scripted input, fed to ImGui as the mouse would be (exercises the interactive paths):
//   mouse X Y  (window pixels)   point POSTCODE  (the mouse onto that unit's site)
//   down [right] | up [right]    wheel N         tool brush|select     lot N
#include <filesystem>
#include <string>
#include <vector>

namespace lotwright::viewer {

struct ScriptCommand {
  std::filesystem::path file;
  long line = 0;
  std::string verb;
  std::string arg;            // postcode / path / on|off / LOT|all
  int lot = 0;                // assign/lot: the lot (1-based), zoom: 0 = all
  float x = 0, y = 0;         // mouse: window pixels; wheel: x = clicks
  std::string where() const;  // "FILE:LINE: "
};

// Parses the whole script up front (before any frame). Throws DataError naming the file,
// the line and what was expected.
std::vector<ScriptCommand> read_script(const std::filesystem::path& file);
std::vector<ScriptCommand> parse_script(const std::string& text, const std::filesystem::path& file);

}  // namespace lotwright::viewer
