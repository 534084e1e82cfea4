// Replays the fuzz corpus (tests/fuzz/corpus/<target>/) through the fuzz target bodies
// (fuzz/targets.hpp) in the default build, so every seed and every past finding runs in CI
// under gcc's ASan + UBSan without libFuzzer. Files named seed-ok-* must be accepted,
// seed-bad-* refused with a DataError; the rest (inputs libFuzzer found) must only not crash
// or throw anything but a DataError.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "targets.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> corpus_files(const std::string& target) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(LOTWRIGHT_FUZZ_CORPUS) / target))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string bytes_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class CorpusReplay : public testing::TestWithParam<lotwright::fuzz::NamedTarget> {};

TEST_P(CorpusReplay, EveryInputIsAcceptedOrRefusedWithAMessage) {
  const auto& t = GetParam();
  const auto files = corpus_files(t.name);
  int ok_seeds = 0, bad_seeds = 0;
  for (const auto& f : files) {
    const std::string data = bytes_of(f);
    const std::string name = f.filename().string();
    int result = -1;
    try {
      result = t.run(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    } catch (const std::exception& e) {
      ADD_FAILURE() << f << ": " << t.name
                    << " threw something other than a DataError: " << e.what();
      continue;
    }
    if (name.rfind("seed-ok-", 0) == 0) {
      ++ok_seeds;
      EXPECT_EQ(result, 0) << f << " should be accepted";
    } else if (name.rfind("seed-bad-", 0) == 0) {
      ++bad_seeds;
      EXPECT_EQ(result, 1) << f << " should be refused with a DataError";
    }
  }
  // Every corpus has a good seed (the reader really reads) and a bad one.
  EXPECT_GE(ok_seeds, 1) << t.name;
  EXPECT_GE(bad_seeds, 1) << t.name;
}

INSTANTIATE_TEST_SUITE_P(Fuzz, CorpusReplay, testing::ValuesIn(lotwright::fuzz::all_targets()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
