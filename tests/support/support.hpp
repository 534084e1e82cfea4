#pragma once
// Shared helpers for the test suite: real-data paths, scratch folders, running the CLI.
#include <filesystem>
#include <string>
#include <vector>

#include "test_config.hpp"

namespace lotwright::test {

namespace fs = std::filesystem;

// ../shared/data/isle-of-wight (through the one configured LOTWRIGHT_DATA_DIR).
fs::path iow_dir();
fs::path rutland_dir();

// A fresh empty folder under the build tree, unique per test; removed at exit of the test.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name = "");
  ~ScratchDir();
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& s) const { return path_ / s; }

 private:
  fs::path path_;
};

void write_text(const fs::path& file, const std::string& text);
std::string read_text(const fs::path& file);
// Every file below dir (relative paths, sorted).
std::vector<std::string> list_files(const fs::path& dir);

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs the built `lotwright` binary with args (no shell interpretation of args).
CliResult run_cli(const std::vector<std::string>& args);
// Runs any program the same way.
CliResult run_program(const std::string& program, const std::vector<std::string>& args);
// `program` with `args` under xvfb-run, on a screen of `screen` (WxHxDepth), with its own
// auth file.
CliResult run_in_xvfb(const std::string& program, const std::vector<std::string>& args,
                      const std::string& screen = "1600x1000x24");
// lotwright-viewer with `args` under xvfb-run (a 1600x1000 screen).
CliResult run_viewer(const std::vector<std::string>& args);

// Copies the bundled sample county (shapefiles/: its files, not a road cache a run left
// there) into `dir`, created if absent.
void copy_sample(const fs::path& dir);

// A config for the Isle of Wight real data with the given demand file (empty: no [demand])
// and extra TOML appended; written to dir/config.toml and returned.
fs::path write_iow_config(const fs::path& dir, const fs::path& demand_csv,
                          const std::string& extra_toml = "");
// The text of that config, with `demand_keys` added to [demand] and `roads_keys` to [roads].
std::string iow_config_text(const fs::path& demand_csv, const std::string& demand_keys,
                            const std::string& roads_keys, const std::string& extra_toml);

// A config for Rutland's real data (docs/rutland.md): area, postcodes, roads and population,
// [demand] (hours_per_week, customers) when `demand_csv` is not empty, then `extra_toml`.
std::string rutland_config_text(const fs::path& demand_csv, const std::string& extra_toml = "");

// The Isle of Wight postcode run the suite shares (ctest fixture `iow_run`,
// tests/CMakeLists.txt): synth-demand (seed 11) and `lotwright run` of one config that
// carries what every reader needs (6 lots +-5%, 25 minutes, design seed 3, unmet hours,
// [tender]). Made once under build/test-fixtures/iow-run; read-only for its readers (write
// your outputs in a ScratchDir). Description in shared_iow.cpp.
struct SharedIowRun {
  fs::path dir;     // the fixture folder
  fs::path config;  // dir/config.toml (demand "demand.csv", road cache dir/.lotwright-cache)
  fs::path demand;  // dir/demand.csv
  fs::path out;     // dir/run: what `lotwright run` wrote (plan files, tender/)
  CliResult run;    // the run's exit code, stdout and stderr
};
// The shared run: made here (under a file lock, in a folder of its own published by a link)
// when it is missing or was made by another build of the CLI; throws when it cannot be made.
const SharedIowRun& shared_iow_run();
// The shared run's config written to dir/config.toml with absolute paths and the shared road
// cache, `design_keys` added to its [design] table and `extra_toml` appended.
fs::path write_shared_iow_config(const fs::path& dir, const std::string& design_keys = "",
                                 const std::string& extra_toml = "");

}  // namespace lotwright::test
