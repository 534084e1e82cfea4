// Output folders the tool owns: manifest, lock, litter, staging and the atomic swap.
#include "lotwright/gis/out_folder.hpp"

#include <fcntl.h>
#include <stdio.h>  // renameat2
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"

namespace lotwright::geo {
namespace {

namespace fs = std::filesystem;

constexpr const char* kHeader =
    "# lotwright output folder: the entries below were written by "
    "lotwright and are replaced by its next run; nothing else is";

// Sibling names: .NAME.lotwright-lock, .NAME.lotwright-new-PID, .NAME.lotwright-old-PID.
fs::path sibling(const fs::path& dir, const std::string& what) {
  return dir.parent_path() / ("." + dir.filename().string() + ".lotwright-" + what);
}

void step_pause() {
  static const long ms = [] {
    const char* e = std::getenv("LOTWRIGHT_OUT_PAUSE_MS");
    return e && *e ? std::atol(e) : 0L;
  }();
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

// The absolute, symlink-resolved form of p (p need not exist).
fs::path resolved(const fs::path& p) {
  std::error_code ec;
  fs::path r = fs::weakly_canonical(fs::absolute(p), ec);
  if (ec) r = fs::absolute(p).lexically_normal();
  return r.filename().empty() ? r.parent_path() : r;  // "out/" is "out"
}

bool inside(const fs::path& p, const fs::path& root) {
  auto [a, b] = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
  return a == root.end();
}

// Makes `to` (absent) a copy of `from` whose files are hard links: the same bytes, the
// same inodes, nothing read or rewritten.
void link_tree(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  const auto st = fs::symlink_status(from, ec);
  if (fs::is_symlink(st)) {
    fs::copy_symlink(from, to, ec);
  } else if (fs::is_directory(st)) {
    fs::create_directory(to, ec);
    if (!ec)
      for (const auto& e : fs::directory_iterator(from))
        link_tree(e.path(), to / e.path().filename());
  } else if (fs::is_regular_file(st)) {
    fs::create_hard_link(from, to, ec);
  } else {
    throw DataError(where(from) + "is neither a file, a folder nor a link; cannot keep it");
  }
  if (ec) throw DataError(where(from) + "cannot keep it in the new output: " + ec.message());
}

void remove_litter(const fs::path& dir) {
  const fs::path parent = dir.parent_path();
  std::error_code ec;
  if (!fs::is_directory(parent, ec)) return;
  const std::string base = "." + dir.filename().string() + ".lotwright-";
  std::vector<fs::path> news, olds;
  for (const auto& e : fs::directory_iterator(parent, ec)) {
    const std::string n = e.path().filename().string();
    // The staging folder, and write_dir_atomic's temporary of it (".<staging>.tmp-...").
    if (n.rfind(base + "new-", 0) == 0 || n.rfind("." + base + "new-", 0) == 0)
      news.push_back(e.path());
    if (n.rfind(base + "old-", 0) == 0) olds.push_back(e.path());
  }
  // A run killed between the two renames of the fallback swap: put the old one back.
  if (!fs::exists(dir, ec) && !olds.empty()) {
    fs::rename(olds.front(), dir, ec);
    if (ec)
      throw DataError(where(dir) + "cannot restore the previous output from " +
                      olds.front().string() + ": " + ec.message());
    olds.erase(olds.begin());
  }
  for (const auto& p : news) fs::remove_all(p, ec);
  for (const auto& p : olds) fs::remove_all(p, ec);
  // Litter of older versions inside the folder itself (write_plan's temporary folder).
  if (fs::is_directory(dir, ec))
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.path().filename().string().rfind(".lotwright-plan-", 0) == 0)
        fs::remove_all(e.path(), ec);
}

int take_lock(const fs::path& lock_file, const fs::path& dir) {
  for (int attempt = 0; attempt < 10; ++attempt) {
    const int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
      throw DataError(where(lock_file) + "cannot create the lock file: " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      ::close(fd);
      if (err == EWOULDBLOCK)
        throw DataError(where(dir) + "another lotwright run is writing this folder now (lock " +
                        lock_file.filename().string() + " is held); wait for it to finish");
      throw DataError(where(lock_file) + "cannot lock: " + std::strerror(err));
    }
    // The holder before us may have removed the file after we opened it: lock the file
    // that is there now.
    struct stat a {
    }, b{};
    if (::fstat(fd, &a) == 0 && ::stat(lock_file.c_str(), &b) == 0 && a.st_ino == b.st_ino &&
        a.st_dev == b.st_dev)
      return fd;
    ::close(fd);
  }
  throw DataError(where(dir) + "cannot take the lock (it keeps changing)");
}

}  // namespace

std::optional<OutManifest> read_manifest(const fs::path& dir) {
  const fs::path file = dir / kManifestName;
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  OutManifest m;
  std::string line;
  long n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("kind=", 0) == 0) {
      m.kind = line.substr(5);
      continue;
    }
    if (line.find('/') != std::string::npos || line == "." || line == ".." || line == kManifestName)
      throw DataError(where(file, n) + "\"" + line.substr(0, 80) +
                      "\" is not a name of this folder; the manifest is damaged");
    m.entries.push_back(line);
  }
  if (m.kind != "plan" && m.kind != "tender")
    throw DataError(where(file) + "no kind=plan or kind=tender line; the manifest is damaged");
  std::sort(m.entries.begin(), m.entries.end());
  return m;
}

void write_manifest(const fs::path& dir, const std::string& kind) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename() != kManifestName) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  std::string text = std::string(kHeader) + "\nkind=" + kind + "\n";
  for (const auto& n : names) text += n + "\n";
  write_file_atomic(dir / kManifestName, text);
}

TenderTarget tender_target(const fs::path& out) {
  const fs::path dir = resolved(out);
  const auto m = read_manifest(dir);
  if (m && m->kind == "plan") return {dir, "tender"};
  return {dir, ""};
}

OutputTransaction::OutputTransaction(const fs::path& dir, const std::string& kind,
                                     const std::vector<fs::path>& inputs,
                                     std::vector<std::string> scope)
    : dir_(resolved(dir)), kind_(kind), scope_(std::move(scope)) {
  if (dir_.filename().empty() || dir_ == dir_.root_path())
    throw DataError(where(dir) + "cannot write the output over this folder");
  std::error_code ec;
  fs::create_directories(dir_.parent_path(), ec);
  if (ec) throw DataError(where(dir_.parent_path()) + "cannot create folder: " + ec.message());
  lock_file_ = sibling(dir_, "lock");
  lock_fd_ = take_lock(lock_file_, dir_);
  try {
    remove_litter(dir_);
    const auto st = fs::symlink_status(dir_, ec);
    if (fs::exists(st) && !fs::is_directory(st))
      throw DataError(where(dir) + "exists and is not a folder; give a folder for --out");
    if (fs::is_directory(st)) {
      old_ = read_manifest(dir_);
      if (!old_ && !fs::is_empty(dir_))
        throw DataError(where(dir) +
                        "the folder is not empty and was not written by lotwright "
                        "(it has no " +
                        std::string(kManifestName) +
                        "); give a new or empty folder for --out so nothing of yours is replaced");
      if (old_ && old_->kind != kind_)
        throw DataError(where(dir) + "is a lotwright " + old_->kind + " folder, not a " + kind_ +
                        " folder; give another folder for --out");
    }
    for (const auto& s : scope_) {
      const bool listed = old_ && std::count(old_->entries.begin(), old_->entries.end(), s);
      if (!listed && fs::exists(fs::symlink_status(dir_ / s, ec)))
        throw DataError(where(dir_ / s) +
                        "exists and was not written by lotwright; it is kept, "
                        "so the output cannot be written there; move it or use another --out");
    }
    // What this transaction replaces: the old manifest entries in scope, and every name
    // the new generation may write (checked again at commit).
    std::vector<fs::path> replaced;
    if (old_)
      for (const auto& e : old_->entries)
        if (scope_.empty() || std::count(scope_.begin(), scope_.end(), e))
          replaced.push_back(dir_ / e);
    for (const auto& s : scope_) replaced.push_back(dir_ / s);
    if (!old_) replaced.push_back(dir_);  // a new folder: inputs inside it would be odd
    for (const auto& in : inputs) {
      if (in.empty()) continue;
      const fs::path p = resolved(in);
      for (const auto& r : replaced)
        if (inside(p, r) && fs::exists(p))
          throw DataError(where(in) + "is an input of this run and lies inside " + r.string() +
                          ", which the output replaces; write the output to another folder");
    }
    staging_ = sibling(dir_, "new-" + std::to_string(::getpid()));
    fs::remove_all(staging_, ec);
    fs::create_directory(staging_, ec);
    if (ec) throw DataError(where(staging_) + "cannot create folder: " + ec.message());
  } catch (...) {
    ::unlink(lock_file_.c_str());
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw;
  }
}

OutputTransaction::~OutputTransaction() {
  std::error_code ec;
  if (!committed_ && !staging_.empty()) fs::remove_all(staging_, ec);
  if (lock_fd_ >= 0) {
    ::unlink(lock_file_.c_str());  // still held: a waiter re-checks the inode
    ::close(lock_fd_);
  }
}

void OutputTransaction::commit() {
  if (committed_) throw UsageError("OutputTransaction::commit called twice");
  std::error_code ec;
  // The new entries: what the caller wrote into staging.
  std::set<std::string> written;
  for (const auto& e : fs::directory_iterator(staging_))
    if (e.path().filename() != kManifestName) written.insert(e.path().filename().string());
  // Carry over everything of the old folder that this transaction does not replace.
  std::set<std::string> kept_manifest;
  if (fs::is_directory(dir_)) {
    for (const auto& e : fs::directory_iterator(dir_)) {
      const std::string n = e.path().filename().string();
      if (n == kManifestName) continue;
      const bool listed = old_ && std::count(old_->entries.begin(), old_->entries.end(), n);
      const bool in_scope =
          listed && (scope_.empty() || std::count(scope_.begin(), scope_.end(), n));
      if (in_scope) continue;  // replaced (or removed) by this generation
      if (written.count(n))
        throw DataError(where(e.path()) +
                        "was not written by lotwright; it is kept, so the new "
                        "output cannot be written there; move it or write to another folder");
      step_pause();
      link_tree(e.path(), staging_ / n);
      if (listed) kept_manifest.insert(n);
    }
  }
  // The manifest lists what lotwright wrote: the new entries and the kept ones of its own.
  std::string text = std::string(kHeader) + "\nkind=" + kind_ + "\n";
  std::set<std::string> all = written;
  all.insert(kept_manifest.begin(), kept_manifest.end());
  for (const auto& n : all) text += n + "\n";
  step_pause();
  write_file_atomic(staging_ / kManifestName, text);
  // Every staged file on disk before the swap makes it the output (a power cut then leaves
  // the old generation or the new one, never a renamed but empty file).
  sync_to_disk(staging_);
  step_pause();
  if (!fs::exists(dir_)) {
    fs::rename(staging_, dir_, ec);
    if (ec) throw DataError(where(dir_) + "cannot write folder: " + ec.message());
  } else if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, dir_.c_str(), RENAME_EXCHANGE) ==
             0) {
    // staging_ now holds the previous generation.
    step_pause();
    fs::remove_all(staging_, ec);
  } else if (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP) {
    // No atomic exchange on this file system: set the old one aside, then rename; a kill
    // in between is repaired by the next run (remove_litter puts the old one back).
    const fs::path old = sibling(dir_, "old-" + std::to_string(::getpid()));
    fs::rename(dir_, old, ec);
    if (ec) throw DataError(where(dir_) + "cannot replace folder: " + ec.message());
    step_pause();
    fs::rename(staging_, dir_, ec);
    if (ec) {
      std::error_code ec2;
      fs::rename(old, dir_, ec2);
      throw DataError(where(dir_) + "cannot replace folder: " + ec.message());
    }
    fs::remove_all(old, ec);
  } else {
    throw DataError(where(dir_) + "cannot replace folder: " + std::strerror(errno));
  }
  sync_parent(dir_);  // the swap itself
  committed_ = true;
}

}  // namespace lotwright::geo
