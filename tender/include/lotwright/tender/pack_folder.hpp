#pragma once
// The tender pack into a folder the tool owns (gis/out_folder.hpp, docs/robustness.md): one
// call for `lotwright tender` and the viewer's "Write tender pack", so both refuse, lock and
// swap alike and write the same files.
#include <filesystem>
#include <memory>
#include <vector>

#include "lotwright/tender/tender.hpp"

namespace lotwright::tender {

class PackFolder {
 public:
  // Checks and locks `out` before any work: absent, empty or a pack lotwright wrote (replaced
  // whole), or a plan folder (the pack goes to its tender/). None of `inputs` may lie inside
  // what is replaced. Throws DataError with the reason; nothing is written then.
  PackFolder(const std::filesystem::path& out, const std::vector<std::filesystem::path>& inputs);
  ~PackFolder();  // without write(): nothing changes
  PackFolder(const PackFolder&) = delete;
  PackFolder& operator=(const PackFolder&) = delete;

  // Where the pack ends up (`out`, or `out`/tender inside a plan folder).
  const std::filesystem::path& destination() const { return destination_; }

  // Writes the pack beside the folder and swaps it in whole; a failure leaves `out` as it was.
  PackSummary write(const PackInputs& in);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::filesystem::path destination_;
};

}  // namespace lotwright::tender
