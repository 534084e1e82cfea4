#pragma once
// Headless scripts: one command a line, run in order, then the viewer exits.
//   assign POSTCODE LOT     (LOT 1-based; 0 unassigns)     select POSTCODE
//   undo | redo             save PATH.csv | save DIR        provider on|off
//   zoom LOT|all            evaluate                        # comment
//   hover POSTCODE          (shows the hover card for that unit, as the mouse would)
#include <filesystem>
#include <string>
#include <vector>

namespace lotwright::viewer {

struct ScriptCommand {
  std::filesystem::path file;
  long line = 0;
  std::string verb;
  std::string arg;            // postcode / path / on|off / LOT|all
  int lot = 0;                // assign: the lot (1-based), zoom: 0 = all
  std::string where() const;  // "FILE:LINE: "
};

// Parses the whole script up front (before any frame). Throws DataError naming the file,
// the line and what was expected.
std::vector<ScriptCommand> read_script(const std::filesystem::path& file);
std::vector<ScriptCommand> parse_script(const std::string& text, const std::filesystem::path& file);

}  // namespace lotwright::viewer
