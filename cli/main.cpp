// lotwright: the command line. Thin: parses arguments into library calls.
#include <cstdio>
#include <exception>
#include <iostream>

#include "command.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/version.hpp"

int main(int argc, char** argv) {
  using namespace lotwright;
  CLI::App app{"lotwright — design home-care tender lots from postcode demand and roads"};
  app.set_version_flag("--version", std::string("lotwright ") + kVersion);
  app.require_subcommand(1);
  app.fallthrough(false);
  auto commands = cli::all_commands();
  std::vector<CLI::App*> subs;
  for (auto& c : commands) {
    CLI::App* sub = app.add_subcommand(c->name(), c->description());
    c->setup(*sub);
    subs.push_back(sub);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);  // prints help/version (rc 0) or the error
    return rc == 0 ? 0 : 2;
  }
  for (std::size_t i = 0; i < commands.size(); ++i) {
    if (!subs[i]->parsed()) continue;
    try {
      return commands[i]->run();
    } catch (const geo::UsageError& e) {
      std::cerr << "lotwright " << commands[i]->name() << ": " << e.what() << "\n";
      return 2;
    } catch (const geo::DataError& e) {
      std::cerr << "lotwright " << commands[i]->name() << ": error: " << e.what() << "\n";
      return 1;
    } catch (const std::exception& e) {
      std::cerr << "lotwright " << commands[i]->name() << ": error: " << e.what() << "\n";
      return 1;
    }
  }
  return 2;
}
