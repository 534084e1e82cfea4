// `lotwright run` is one transaction: kill -9 at many points of a run (the staging folder,
// the plan written, the pack half written, the manifest, just after the swap) always leaves
// the previous generation or the new one whole, never a mix; a second run into the same
// folder while one is writing is refused at once; a failure injected in the pack leaves
// the previous plan and pack; the user's file in the folder is never touched.
// A small study: the bundled sample county on its small areas (a few seconds a run).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <map>
#include <thread>

#include "support.hpp"

namespace lotwright {
namespace {

namespace fs = std::filesystem;
using Snapshot = std::map<std::string, std::string>;  // relative path -> bytes

Snapshot snapshot(const fs::path& dir) {
  Snapshot s;
  for (const auto& f : test::list_files(dir)) s[f] = test::read_text(dir / f);
  // metrics.json reports the designer's wall-clock runtime: the one line that differs.
  if (auto it = s.find("metrics.json"); it != s.end()) {
    const auto at = it->second.find("\"runtime_s\"");
    if (at != std::string::npos) it->second.erase(at, it->second.find('\n', at) - at);
  }
  return s;
}

// Starts the CLI with `env` ("NAME=value") added; stdout and stderr go to files in log_dir.
pid_t spawn(const std::vector<std::string>& args, const std::vector<std::string>& env,
            const fs::path& log) {
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ::dup2(fd, 1);
  ::dup2(fd, 2);
  std::vector<char*> argv{const_cast<char*>(test::kCliPath)};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::execv(test::kCliPath, argv.data());
  ::_exit(127);
}

// Polls until `ready()` or the child ends; kills it with SIGKILL when ready. Returns true
// when the kill landed (the child was still running).
bool kill_when(pid_t pid, const std::function<bool()>& ready) {
  const auto limit = std::chrono::steady_clock::now() + std::chrono::minutes(3);
  int status = 0;
  while (std::chrono::steady_clock::now() < limit) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return false;
    if (ready()) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return WIFSIGNALED(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return false;
}

class RunTransaction : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir("run-transaction");
    const fs::path in = *dir_ / "in";
    test::copy_sample(in);
    std::string cfg = test::read_text(in / "county.toml");
    const std::string units = "[units]\npath = \"small_areas.shp\"\nid = \"SA_CODE\"\n\n";
    cfg.replace(cfg.find("[demand]"), 0, units);
    test::write_text(in / "a.toml", cfg);
    cfg.replace(cfg.find("\nlots = 4"), 9, "\nlots = 5");
    test::write_text(in / "b.toml", cfg);
  }
  static void TearDownTestSuite() { delete dir_; }
  static test::ScratchDir* dir_;
};
test::ScratchDir* RunTransaction::dir_ = nullptr;

TEST_F(RunTransaction, KillConcurrentAndInjectedFailureNeverMixGenerations) {
  const fs::path in = *dir_ / "in", out = *dir_ / "out";
  const std::string a = (in / "a.toml").string(), b = (in / "b.toml").string();
  auto r = test::run_cli({"run", a, "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  test::write_text(out / "mine.txt", "my notes, not lotwright's");
  const Snapshot gen_a = snapshot(out);
  ASSERT_TRUE(gen_a.count("tender/lot-schedule.xlsx"));

  // The staging folder of child `pid`, beside out.
  auto staging = [&](pid_t pid) { return *dir_ / (".out.lotwright-new-" + std::to_string(pid)); };
  auto any_tender_tmp = [](const fs::path& s) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(s, ec))
      if (e.path().filename().string().rfind(".tender.tmp", 0) == 0) return true;
    return false;
  };
  const std::string old_manifest = test::read_text(out / ".lotwright-manifest");

  struct Point {
    const char* what;
    std::function<bool(pid_t)> ready;
  };
  const std::vector<Point> points = {
      {"plan written", [&](pid_t p) { return fs::exists(staging(p) / "plan.gpkg"); }},
      {"pack half written", [&](pid_t p) { return any_tender_tmp(staging(p)); }},
      {"manifest written", [&](pid_t p) { return fs::exists(staging(p) / ".lotwright-manifest"); }},
      {"swapped", [&](pid_t) {
         std::error_code ec;
         return fs::exists(out / "tender" / ".lotwright-manifest", ec) &&
                test::read_text(out / ".lotwright-manifest") == old_manifest &&
                fs::exists(out / "lots.csv") && snapshot(out) != gen_a;
       }}};
  std::vector<Snapshot> after_kill;
  int landed = 0;
  bool refused_concurrent = false;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const pid_t pid = spawn({"run", b, "--out", out.string()}, {"LOTWRIGHT_OUT_PAUSE_MS=150"},
                            *dir_ / "kill.log");
    ASSERT_GT(pid, 0);
    const bool killed = kill_when(pid, [&] {
      if (!points[i].ready(pid)) return false;
      if (i == 0 && !refused_concurrent) {
        // A second run while this one holds the folder: refused at once, nothing touched.
        const auto t0 = std::chrono::steady_clock::now();
        const auto second = test::run_cli({"run", a, "--out", out.string()});
        EXPECT_EQ(second.exit_code, 1);
        EXPECT_NE(second.err.find("another lotwright run is writing this folder"),
                  std::string::npos)
            << second.err;
        EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(30));
        refused_concurrent = true;
      }
      return true;
    });
    landed += killed ? 1 : 0;
    after_kill.push_back(snapshot(out));
    EXPECT_EQ(test::read_text(out / "mine.txt"), "my notes, not lotwright's") << points[i].what;
  }
  EXPECT_TRUE(refused_concurrent);
  EXPECT_GE(landed, 3) << "too few kills landed while the run was writing";

  // A failure injected in the pack (after its 2nd file): the previous generation stays.
  const Snapshot before_fail = snapshot(out);
  ::setenv("LOTWRIGHT_TENDER_FAIL_AFTER", "2", 1);
  r = test::run_cli({"run", b, "--out", out.string()});
  ::unsetenv("LOTWRIGHT_TENDER_FAIL_AFTER");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("failure injected"), std::string::npos) << r.err;
  EXPECT_TRUE(snapshot(out) == before_fail);

  // The new generation, run to the end: the litter of the killed runs is gone.
  r = test::run_cli({"run", b, "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Snapshot gen_b = snapshot(out);
  EXPECT_NE(gen_a.at("assignment.csv"), gen_b.at("assignment.csv"));
  for (const auto& e : fs::directory_iterator(dir_->path()))
    EXPECT_EQ(e.path().filename().string().find(".lotwright-"), std::string::npos)
        << "litter: " << e.path();

  for (std::size_t i = 0; i < after_kill.size(); ++i)
    EXPECT_TRUE(after_kill[i] == gen_a || after_kill[i] == gen_b)
        << "killed at \"" << points[i].what << "\": the folder mixes generations";
  int new_gens = 0;
  for (const auto& s : after_kill) new_gens += s == gen_b;
  EXPECT_GE(new_gens, 1);  // the kill after the swap keeps the new generation
}

TEST_F(RunTransaction, RefusedFoldersAreUntouched) {
  const fs::path in = *dir_ / "in";
  const std::string a = (in / "a.toml").string();
  // The folder holding the config and data: refused before any work, nothing changed.
  const Snapshot inputs = snapshot(in);
  auto r =
      test::run_cli({"tender", a, "--plan", (in / "demand.csv").string(), "--out", in.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("not written by lotwright"), std::string::npos) << r.err;
  EXPECT_TRUE(snapshot(in) == inputs);
  r = test::run_cli({"run", a, "--out", in.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(snapshot(in) == inputs);
  // A file given as --out.
  r = test::run_cli({"run", a, "--out", (in / "demand.csv").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("not a folder"), std::string::npos) << r.err;
  EXPECT_TRUE(snapshot(in) == inputs);
}

}  // namespace
}  // namespace lotwright
