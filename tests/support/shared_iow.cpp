// The Isle of Wight postcode run shared by the suite. Under ASan one postcode design of the
// island takes about a minute; the executables that only need "a designed IoW plan and its run
// output" (cli_design, cli_rounds, cli_tender, published, design_evaluate_agree) read this one
// instead of each making their own.
//
// ctest makes it first (test fixtures/iow_run, FIXTURES_SETUP iow_run, runs
// make_shared_iow_run); a test executable run by hand makes it itself when it is missing. It
// is made in a folder of its own and published by a link renamed into place (load_or_make),
// with its stamp (the CLI binary's size and time and the config's text), so a half-made run is
// never read, and a CLI built since makes it again. A file lock keeps two processes from
// making it at once.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "support.hpp"

namespace lotwright::test {

namespace {

constexpr const char* kDemandSeed = "11";
// What the readers need: cli_design (6 lots within 5%, 25 minutes, design seed 3: its
// reproducibility check designs the same ask again), cli_rounds (the round figures), cli_tender
// and published ([tender] buyer; unmet hours for the disclosure checks),
// design_evaluate_agree (the plan and its metrics.json).
std::string design_keys(const std::string& more) {
  return "[design]\nlots = 6\ntolerance = 0.05\nmax_travel_minutes = 25\nseed = 3\n" + more +
         "\n[tender]\nbuyer = \"Isle of Wight Council\"\n";
}

// The config the shared run uses (its demand file beside it). Part of the stamp: a change here
// makes the run again.
std::string fixture_config_text() {
  return iow_config_text("demand.csv", "unmet_hours = \"unmet_hours\"\n", "", design_keys(""));
}

std::string stamp_text() {
  const fs::path cli = kCliPath;
  std::error_code ec;
  const auto size = fs::file_size(cli, ec);
  const auto time = fs::last_write_time(cli, ec).time_since_epoch().count();
  return "cli " + std::to_string(size) + " " + std::to_string(time) + "\n" + fixture_config_text();
}

class FileLock {
 public:
  explicit FileLock(const fs::path& file) : fd_(::open(file.c_str(), O_CREAT | O_RDWR, 0644)) {
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0)
      throw std::runtime_error("cannot lock " + file.string());
  }
  ~FileLock() { ::close(fd_); }  // closing releases the lock
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

void make_run(const fs::path& dir) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  write_text(dir / "bare.toml", iow_config_text("", "", "", ""));
  auto r = run_cli({"synth-demand", (dir / "bare.toml").string(), "--out",
                    (dir / "demand.csv").string(), "--seed", kDemandSeed});
  if (r.exit_code != 0) throw std::runtime_error("shared IoW run: synth-demand failed: " + r.err);
  write_text(dir / "config.toml", fixture_config_text());
  r = run_cli({"run", (dir / "config.toml").string(), "--out", (dir / "run").string()});
  write_text(dir / "run.exit", std::to_string(r.exit_code));
  write_text(dir / "run.stdout", r.out);
  write_text(dir / "run.stderr", r.err);
  if (r.exit_code != 0)
    throw std::runtime_error("shared IoW run: `lotwright run` exited " +
                             std::to_string(r.exit_code) + ": " + r.err);
  write_text(dir / "stamp", stamp_text());
}

// test-fixtures/iow-run is a symbolic link to the folder of the current run,
// test-fixtures/iow-run-<pid>-<time>: a run is made in its own folder (its final place: plan.gpkg
// records the config's path, which a rename would change) and published by renaming a new link
// over the old one, so no reader ever sees a half-made run.
SharedIowRun load_or_make() {
  const fs::path root = fs::path(kBinaryDir) / "test-fixtures";
  const fs::path link = root / "iow-run";
  fs::create_directories(root);
  FileLock lock(root / "iow-run.lock");
  const std::string stamp = stamp_text();
  std::error_code ec;
  fs::path dir = fs::is_symlink(link) ? fs::canonical(link, ec) : fs::path();
  if (dir.empty() || !fs::exists(dir / "stamp") || read_text(dir / "stamp") != stamp) {
    const auto start = std::chrono::steady_clock::now();
    const std::string name =
        "iow-run-" + std::to_string(::getpid()) + "-" +
        std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
    try {
      make_run(root / name);
    } catch (...) {
      fs::remove_all(root / name);
      throw;
    }
    const fs::path next = root / "iow-run.next";
    fs::remove(next, ec);
    fs::create_directory_symlink(name, next);
    if (fs::exists(link) && !fs::is_symlink(link)) fs::remove_all(link);
    fs::rename(next, link);
    // Runs no link points to: the one replaced, or one a killed process left half-made.
    for (const auto& e : fs::directory_iterator(root))
      if (e.is_directory() && !e.is_symlink() &&
          e.path().filename().string().rfind("iow-run-", 0) == 0 && e.path().filename() != name)
        fs::remove_all(e.path(), ec);
    dir = fs::canonical(link);
    std::cerr << "shared IoW run made in "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
              << " s: " << dir.string() << "\n";
  }
  SharedIowRun s;
  s.dir = dir;
  s.config = dir / "config.toml";
  s.demand = dir / "demand.csv";
  s.out = dir / "run";
  s.run.exit_code = std::stoi(read_text(dir / "run.exit"));
  s.run.out = read_text(dir / "run.stdout");
  s.run.err = read_text(dir / "run.stderr");
  return s;
}

}  // namespace

const SharedIowRun& shared_iow_run() {
  static std::once_flag once;
  static std::unique_ptr<SharedIowRun> run;
  std::call_once(once, [] { run = std::make_unique<SharedIowRun>(load_or_make()); });
  return *run;
}

fs::path write_shared_iow_config(const fs::path& dir, const std::string& design_more,
                                 const std::string& extra_toml) {
  const SharedIowRun& s = shared_iow_run();
  const fs::path cfg = dir / "config.toml";
  write_text(cfg, iow_config_text(s.demand, "unmet_hours = \"unmet_hours\"\n",
                                  "cache_dir = \"" + (s.dir / ".lotwright-cache").string() + "\"\n",
                                  design_keys(design_more) + extra_toml));
  return cfg;
}

}  // namespace lotwright::test
