#pragma once
// Output folders the tool owns, written as one transaction.
//
// A folder lotwright writes holds a manifest (.lotwright-manifest) naming its kind ("plan",
// "tender") and the top-level entries it wrote. An --out folder must be absent, empty or
// such a folder; anything else is refused before any work. Only entries listed in the
// manifest are ever replaced or removed: everything else in the folder (a user's notes,
// a road cache) is carried into the new generation by hard links and never touched.
//
// OutputTransaction: lock (a sibling lock file, flock), clean the litter of killed runs,
// check, then let the caller write the whole new generation into a staging folder beside
// the output; commit() swaps it in with one atomic rename (renameat2 RENAME_EXCHANGE). A
// failure or a kill -9 at any point leaves the old generation or the new one whole.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lotwright::geo {

inline constexpr const char* kManifestName = ".lotwright-manifest";

struct OutManifest {
  std::string kind;                  // "plan" (a plan, maybe with tender/) or "tender"
  std::vector<std::string> entries;  // top-level names written by lotwright, sorted
};

// The manifest of `dir`, or nullopt when it has none. Throws DataError when it is malformed.
std::optional<OutManifest> read_manifest(const std::filesystem::path& dir);

// Writes `dir`/.lotwright-manifest listing every top-level entry of dir (atomically).
void write_manifest(const std::filesystem::path& dir, const std::string& kind);

// Where `tender --out OUT` writes: OUT itself (absent, empty or a tender pack), or OUT/tender
// when OUT is a plan folder. `sub` is "" or "tender".
struct TenderTarget {
  std::filesystem::path dir;
  std::string sub;
};
TenderTarget tender_target(const std::filesystem::path& out);

class OutputTransaction {
 public:
  // Takes the lock on `dir` (a second run into the same folder fails at once), removes the
  // litter of killed runs, checks that dir is absent, empty or a lotwright folder of `kind`,
  // and that no input lies inside what this transaction replaces. `scope`: the manifest
  // entries replaced (empty: every entry of the old manifest). Throws DataError with the
  // reason; nothing is written then.
  OutputTransaction(const std::filesystem::path& dir, const std::string& kind,
                    const std::vector<std::filesystem::path>& inputs,
                    std::vector<std::string> scope = {});
  ~OutputTransaction();  // without commit(): the staging folder is removed, dir untouched
  OutputTransaction(const OutputTransaction&) = delete;
  OutputTransaction& operator=(const OutputTransaction&) = delete;

  // The folder to write the new generation into (empty at first).
  const std::filesystem::path& staging() const { return staging_; }
  // The output folder (absolute).
  const std::filesystem::path& dir() const { return dir_; }

  // Carries over what is not replaced, writes the manifest, swaps the staging folder in.
  void commit();

 private:
  std::filesystem::path dir_, staging_, lock_file_;
  std::string kind_;
  std::vector<std::string> scope_;
  std::optional<OutManifest> old_;
  int lock_fd_ = -1;
  bool committed_ = false;
};

// Test hook: LOTWRIGHT_OUT_PAUSE_MS=N sleeps N ms before each step of commit(), so a test
// can kill the process between the steps.
}  // namespace lotwright::geo
