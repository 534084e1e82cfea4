#include "script.hpp"

#include <fstream>
#include <sstream>

#include "lotwright/core/error.hpp"

namespace lotwright::viewer {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

int parse_lot(const std::string& text, const ScriptCommand& c) {
  if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos)
    throw geo::DataError(c.where() + "\"" + text + "\" is not a lot number (1, 2, ...)");
  return std::stoi(text);
}

}  // namespace

std::string ScriptCommand::where() const { return geo::where(file, line); }

std::vector<ScriptCommand> parse_script(const std::string& text,
                                        const std::filesystem::path& file) {
  std::vector<ScriptCommand> out;
  std::istringstream in(text);
  std::string raw;
  long line = 0;
  while (std::getline(in, raw)) {
    ++line;
    const std::string s = trim(raw);
    if (s.empty() || s[0] == '#') continue;
    ScriptCommand c;
    c.file = file;
    c.line = line;
    const auto sp = s.find_first_of(" \t");
    c.verb = s.substr(0, sp);
    const std::string rest = sp == std::string::npos ? "" : trim(s.substr(sp));
    if (c.verb == "assign") {
      // The postcode may hold a space ("PO30 1AB"): the lot is the last word.
      const auto last = rest.find_last_of(" \t");
      if (last == std::string::npos)
        throw geo::DataError(c.where() + "assign needs a postcode and a lot: assign POSTCODE LOT");
      c.arg = trim(rest.substr(0, last));
      c.lot = parse_lot(rest.substr(last + 1), c);
    } else if (c.verb == "select" || c.verb == "hover") {
      if (rest.empty()) throw geo::DataError(c.where() + c.verb + " needs a postcode");
      c.arg = rest;
    } else if (c.verb == "point") {
      if (rest.empty()) throw geo::DataError(c.where() + "point needs a postcode");
      c.arg = rest;
    } else if (c.verb == "mouse" || c.verb == "wheel") {
      std::istringstream in(rest);
      std::string extra;
      const bool ok =
          c.verb == "mouse" ? static_cast<bool>(in >> c.x >> c.y) : static_cast<bool>(in >> c.x);
      if (!ok || (in >> extra))
        throw geo::DataError(c.where() +
                             (c.verb == "mouse" ? "mouse takes X Y in window pixels"
                                                : "wheel takes a number of clicks") +
                             " (got \"" + rest + "\")");
    } else if (c.verb == "down" || c.verb == "up") {
      if (!rest.empty() && rest != "left" && rest != "right")
        throw geo::DataError(c.where() + c.verb + " takes left or right (got \"" + rest + "\")");
      c.arg = rest.empty() ? "left" : rest;
    } else if (c.verb == "tool") {
      if (rest != "brush" && rest != "select")
        throw geo::DataError(c.where() + "tool takes brush or select (got \"" + rest + "\")");
      c.arg = rest;
    } else if (c.verb == "lot") {
      c.lot = parse_lot(rest, c);
      if (c.lot == 0) throw geo::DataError(c.where() + "lot takes a lot number (1, 2, ...)");
    } else if (c.verb == "undo" || c.verb == "redo" || c.verb == "evaluate") {
      if (!rest.empty())
        throw geo::DataError(c.where() + c.verb + " takes no argument (got \"" + rest + "\")");
    } else if (c.verb == "tender") {
      if (rest.empty()) throw geo::DataError(c.where() + "tender needs a folder: tender DIR");
      c.arg = rest;
    } else if (c.verb == "compare") {
      if (rest.empty())
        throw geo::DataError(c.where() + "compare needs a plan: compare PATH.csv | compare DIR");
      c.arg = rest;
    } else if (c.verb == "save") {
      if (rest.empty()) throw geo::DataError(c.where() + "save needs a path: save PATH.csv");
      c.arg = rest;
    } else if (c.verb == "store") {
      if (rest.empty()) throw geo::DataError(c.where() + "store needs a scenario name: store NAME");
      c.arg = rest;
    } else if (c.verb == "provider") {
      if (rest != "on" && rest != "off")
        throw geo::DataError(c.where() + "provider takes on or off (got \"" + rest + "\")");
      c.arg = rest;
    } else if (c.verb == "zoom") {
      if (rest == "all") {
        c.lot = 0;
      } else {
        c.lot = parse_lot(rest, c);
        if (c.lot == 0) throw geo::DataError(c.where() + "zoom takes a lot (1, 2, ...) or all");
      }
      c.arg = rest;
    } else {
      throw geo::DataError(
          c.where() + "unknown command \"" + c.verb +
          "\" (expected assign, select, hover, undo, redo, save, store, provider, "
          "zoom, evaluate, tender, compare, mouse, point, down, up, wheel, tool, lot)");
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<ScriptCommand> read_script(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw geo::DataError(geo::where(file) + "cannot read the script");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_script(ss.str(), file);
}

}  // namespace lotwright::viewer
