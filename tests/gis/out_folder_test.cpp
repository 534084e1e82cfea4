// Output folders the tool owns: refusal before any work, carry-over of the user's files,
// the lock, litter of killed runs, and kill -9 at many points of a transaction.
#include "lotwright/gis/out_folder.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <thread>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"
#include "support.hpp"

namespace lotwright {
namespace {

namespace fs = std::filesystem;
using geo::DataError;
using geo::OutputTransaction;

// A generation: files a.txt .. e.txt and sub/f.txt, each holding "gen N".
const std::vector<std::string> kGen = {"a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "sub"};

void write_generation(const fs::path& dir, int gen, int pause_ms = 0) {
  for (const auto& n : kGen) {
    if (pause_ms) std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
    if (n == "sub") {
      fs::create_directories(dir / n);
      test::write_text(dir / n / "f.txt", "gen " + std::to_string(gen));
    } else {
      test::write_text(dir / n, "gen " + std::to_string(gen));
    }
  }
}

// The generation dir holds whole, or -1 when mixed or partial.
int whole_generation(const fs::path& dir) {
  std::set<std::string> seen;
  for (const auto& f : test::list_files(dir)) {
    if (f == geo::kManifestName || f == "mine.txt") continue;
    seen.insert(test::read_text(dir / f));
  }
  if (seen.size() != 1) return -1;
  const auto files = test::list_files(dir);
  if (files.size() != kGen.size() + 2) return -1;  // + manifest + mine.txt
  return std::stoi(seen.begin()->substr(4));
}

std::vector<std::string> litter(const fs::path& parent) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(parent)) {
    const auto n = e.path().filename().string();
    if (n.find(".lotwright-") != std::string::npos) names.push_back(n);
  }
  return names;
}

void commit_generation(const fs::path& dir, int gen) {
  OutputTransaction tx(dir, "plan", {});
  write_generation(tx.staging(), gen);
  tx.commit();
}

TEST(OutFolder, NewFolderGetsAManifestAndNoLitter) {
  test::ScratchDir tmp("out-folder");
  commit_generation(tmp / "out", 1);
  const auto m = geo::read_manifest(tmp / "out");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, "plan");
  EXPECT_EQ(m->entries, kGen);
  EXPECT_TRUE(litter(tmp.path()).empty());
  EXPECT_EQ(test::read_text(tmp / "out" / "sub" / "f.txt"), "gen 1");
  commit_generation(tmp.path() / "slash" / "", 1);  // "--out slash/"
  EXPECT_TRUE(geo::read_manifest(tmp / "slash"));
  commit_generation(tmp.path() / "slash" / "", 2);
  EXPECT_EQ(test::read_text(tmp / "slash" / "a.txt"), "gen 2");
}

TEST(OutFolder, RefusesAFolderItDidNotWriteBeforeAnyWork) {
  test::ScratchDir tmp("out-folder");
  test::write_text(tmp / "theirs" / "notes.txt", "mine");
  try {
    OutputTransaction tx(tmp / "theirs", "plan", {});
    FAIL() << "accepted a user's folder";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("not written by lotwright"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(test::list_files(tmp / "theirs"), std::vector<std::string>{"notes.txt"});
  test::write_text(tmp / "file", "x");
  EXPECT_THROW(OutputTransaction(tmp / "file", "plan", {}), DataError);
  EXPECT_EQ(test::read_text(tmp / "file"), "x");
  // A plan folder is not a tender folder.
  commit_generation(tmp / "plan", 1);
  EXPECT_THROW(OutputTransaction(tmp / "plan", "tender", {}), DataError);
  EXPECT_TRUE(litter(tmp.path()).empty());  // not even the lock file stays
}

TEST(OutFolder, KeepsWhatItDidNotWriteAndRemovesOnlyItsOwn) {
  test::ScratchDir tmp("out-folder");
  const fs::path out = tmp / "out";
  commit_generation(out, 1);
  test::write_text(out / "mine.txt", "my notes");
  struct stat before {};
  ASSERT_EQ(::stat((out / "mine.txt").c_str(), &before), 0);
  {
    OutputTransaction tx(out, "plan", {});
    test::write_text(tx.staging() / "a.txt", "gen 2");  // b..e, sub no longer written
    tx.commit();
  }
  EXPECT_EQ(test::list_files(out),
            (std::vector<std::string>{geo::kManifestName, "a.txt", "mine.txt"}));
  struct stat after {};
  ASSERT_EQ(::stat((out / "mine.txt").c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);  // the same file, not a copy
  EXPECT_EQ(test::read_text(out / "mine.txt"), "my notes");
  EXPECT_EQ(geo::read_manifest(out)->entries, std::vector<std::string>{"a.txt"});
}

TEST(OutFolder, ScopeReplacesOnlyItsEntriesAndRefusesAUserFileOfThatName) {
  test::ScratchDir tmp("out-folder");
  const fs::path out = tmp / "out";
  commit_generation(out, 1);
  {
    OutputTransaction tx(out, "plan", {}, {"tender"});
    test::write_text(tx.staging() / "tender" / "pack.txt", "pack");
    tx.commit();
  }
  EXPECT_EQ(test::read_text(out / "a.txt"), "gen 1");
  EXPECT_EQ(test::read_text(out / "tender" / "pack.txt"), "pack");
  auto m = geo::read_manifest(out);
  EXPECT_EQ(m->entries.size(), kGen.size() + 1);

  const fs::path other = tmp / "other";
  commit_generation(other, 1);
  test::write_text(other / "tender", "a user's file called tender");
  try {
    OutputTransaction tx(other, "plan", {}, {"tender"});
    FAIL() << "would replace a user's file";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("tender: exists and was not written"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(test::read_text(other / "tender"), "a user's file called tender");
}

TEST(OutFolder, AnInputInsideWhatIsReplacedIsRefused) {
  test::ScratchDir tmp("out-folder");
  const fs::path out = tmp / "out";
  commit_generation(out, 1);
  EXPECT_THROW(OutputTransaction(out, "plan", {out / "a.txt"}), DataError);
  EXPECT_THROW(OutputTransaction(out, "plan", {out / "sub" / "f.txt"}), DataError);
  // Outside the scope it is fine.
  EXPECT_NO_THROW(OutputTransaction(out, "plan", {out / "a.txt"}, {"tender"}));
  EXPECT_EQ(test::read_text(out / "a.txt"), "gen 1");
}

TEST(OutFolder, ASecondTransactionIntoTheSameFolderFailsAtOnce) {
  test::ScratchDir tmp("out-folder");
  const fs::path out = tmp / "out";
  OutputTransaction first(out, "plan", {});
  const auto t0 = std::chrono::steady_clock::now();
  try {
    OutputTransaction second(out, "plan", {});
    FAIL() << "two writers at once";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("another lotwright run is writing this folder"),
              std::string::npos)
        << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  write_generation(first.staging(), 1);
  first.commit();
  EXPECT_EQ(test::read_text(out / "e.txt"), "gen 1");
}

TEST(OutFolder, UncommittedTransactionLeavesTheFolderAsItWas) {
  test::ScratchDir tmp("out-folder");
  const fs::path out = tmp / "out";
  commit_generation(out, 1);
  const auto before = test::list_files(out);
  {
    OutputTransaction tx(out, "plan", {});
    write_generation(tx.staging(), 2);
  }  // an exception on the way out, say
  EXPECT_EQ(test::list_files(out), before);
  EXPECT_EQ(test::read_text(out / "a.txt"), "gen 1");
  EXPECT_TRUE(litter(tmp.path()).empty());
}

// kill -9 a child writing generation 2 over generation 1 at many points (the staging
// files, the carry-over, the manifest, the swap, the clean-up): the folder always holds
// one whole generation, and the next transaction leaves no litter.
TEST(OutFolder, KillNineAtManyPointsLeavesOneWholeGeneration) {
  ::setenv("LOTWRIGHT_OUT_PAUSE_MS", "15", 1);  // read once, by the forked children
  test::ScratchDir tmp("out-folder");
  const fs::path out = tmp / "out";
  std::map<int, int> outcomes;
  // Every 8 ms over the first 200 ms, then on (every 50 ms, up to 5 s) until a kill lands
  // after the swap: fsync before the swap takes as long as the disk needs.
  for (int delay_ms = 0; delay_ms <= 200 || (outcomes[2] == 0 && delay_ms <= 5000);
       delay_ms += delay_ms < 200 ? 8 : 50) {
    fs::remove_all(out);
    commit_generation(out, 1);
    test::write_text(out / "mine.txt", "my notes");
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      try {
        OutputTransaction tx(out, "plan", {});
        write_generation(tx.staging(), 2, 10);
        tx.commit();
      } catch (...) {
        ::_exit(3);
      }
      ::_exit(0);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    const int gen = whole_generation(out);
    ASSERT_TRUE(gen == 1 || gen == 2) << "killed after " << delay_ms << " ms: mixed output";
    EXPECT_EQ(test::read_text(out / "mine.txt"), "my notes");
    ++outcomes[gen];
    // The next start cleans the litter of the killed one.
    { OutputTransaction next(out, "plan", {}); }
    EXPECT_TRUE(litter(tmp.path()).empty()) << "after " << delay_ms << " ms";
    EXPECT_EQ(whole_generation(out), gen);
  }
  EXPECT_GT(outcomes[1], 0);  // some kills landed before the swap
  EXPECT_GT(outcomes[2], 0);  // and some after
}

// A power cut must not leave a renamed but empty file: every staged file and folder is
// flushed (fsync) before the swap, and the folder holding the output after it.
TEST(OutFolder, StagedFilesAreFlushedToDiskBeforeTheSwap) {
  test::ScratchDir tmp;
  const fs::path out = tmp / "out";
  const unsigned long before = geo::sync_count();
  commit_generation(out, 1);
  // 6 files + 2 folders of the generation, the manifest (file + its folder), the swap.
  EXPECT_GE(geo::sync_count() - before, 10u);
  EXPECT_EQ(test::read_text(out / "sub" / "f.txt"), "gen 1");
  // One atomic file write: the temporary before the rename, its folder after.
  const unsigned long mid = geo::sync_count();
  geo::write_file_atomic(tmp / "one.txt", "x");
  EXPECT_EQ(geo::sync_count() - mid, 2u);
  // A path that cannot be flushed is named.
  try {
    geo::sync_to_disk(tmp / "missing");
    ADD_FAILURE() << "no error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("missing: cannot flush to disk"), std::string::npos)
        << e.what();
  }
}

TEST(OutFolder, ADamagedManifestIsReportedWithItsLine) {
  test::ScratchDir tmp("out-folder");
  commit_generation(tmp / "out", 1);
  test::write_text(tmp / "out" / geo::kManifestName, "kind=plan\na.txt\n../etc/passwd\n");
  try {
    OutputTransaction tx(tmp / "out", "plan", {});
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(":3:"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::exists(tmp / "out" / "a.txt"));
}

}  // namespace
}  // namespace lotwright
