// lotwright: the command line. Thin: parses arguments into library calls.
#include <cstdio>
#include <exception>
#include <iostream>

#include "command.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/version.hpp"
#include "report.hpp"

namespace {

using namespace lotwright;

// An unknown first word is named, with the nearest command (CLI11 alone says only "A
// subcommand is required"). Returns true when it printed the error.
bool unknown_command(int argc, char** argv, const std::vector<std::string>& names) {
  if (argc < 2 || argv[1][0] == '-') return false;
  const std::string word = argv[1];
  for (const auto& n : names)
    if (n == word) return false;
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  const std::string near = cli::closest_name(word, names);
  std::cerr << "lotwright: unknown command \"" << cli::cut_long_values(word) << "\""
            << (near.empty() ? "" : "; did you mean \"" + near + "\"?") << "\n"
            << "the commands: " << known << " (lotwright --help)\n";
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace lotwright;
  // The usage line says "lotwright", not the path the binary was started by.
  CLI::App app{"lotwright — design home-care tender lots from postcode demand and roads",
               "lotwright"};
  app.set_version_flag("--version", std::string("lotwright ") + kVersion);
  app.require_subcommand(1);
  app.fallthrough(false);
  app.footer(
      "Example:\n  lotwright run examples/isle-of-wight.toml --out out/iow\n"
      "Each command has its own help: lotwright run --help. Guide: docs/guide.md");
  // Errors as "lotwright: ..." with long values cut.
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return "lotwright: " + cli::cut_long_values(e.what()) +
           "\nRun with --help for more information.\n";
  });
  auto commands = cli::all_commands();
  std::vector<CLI::App*> subs;
  std::vector<std::string> names;
  for (auto& c : commands) {
    CLI::App* sub = app.add_subcommand(c->name(), c->description());
    c->setup(*sub);
    std::string foot;
    for (const auto& e : c->examples()) foot += "\n  " + e;
    if (!foot.empty()) sub->footer((c->examples().size() == 1 ? "Example:" : "Examples:") + foot);
    subs.push_back(sub);
    names.push_back(c->name());
  }
  if (unknown_command(argc, argv, names)) return 2;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);  // prints help/version (rc 0) or the error
    return rc == 0 ? 0 : 2;
  }
  for (std::size_t i = 0; i < commands.size(); ++i) {
    if (!subs[i]->parsed()) continue;
    const std::string prefix = "lotwright " + commands[i]->name() + ": ";
    try {
      return commands[i]->run();
    } catch (const geo::UsageError& e) {
      std::cerr << prefix << cli::cut_long_values(e.what()) << "\n";
      return 2;
    } catch (const geo::DataError& e) {
      std::cerr << prefix << "error: " << cli::cut_long_values(e.what()) << "\n";
      return 1;
    } catch (const std::exception& e) {
      std::cerr << prefix << "error: " << cli::cut_long_values(e.what()) << "\n";
      return 1;
    }
  }
  return 2;
}
