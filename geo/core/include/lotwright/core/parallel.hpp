#pragma once
// A tiny work-sharing loop for the road code: calls fn(i) for i in [0, n) on every core.
// Each index is handled exactly once and writes only its own result slot, so results do
// not depend on the number of threads.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace lotwright::geo::detail {

// The cores there are (at most 16). Work split into batches by the cores is split by this,
// never by worker_count(), so that a cap on the threads does not change the batches.
inline unsigned core_count() {
  const unsigned hw = std::thread::hardware_concurrency();
  return std::max(1u, std::min(hw == 0 ? 2u : hw, 16u));
}

// A cap on the threads a parallel_for starts (0: none): set by the tests that check a result
// is the same on one thread as on all; LOTWRIGHT_THREADS in the environment sets it too.
inline std::atomic<unsigned>& worker_cap() {
  static std::atomic<unsigned> cap{[] {
    const char* e = std::getenv("LOTWRIGHT_THREADS");
    return e ? static_cast<unsigned>(std::strtoul(e, nullptr, 10)) : 0u;
  }()};
  return cap;
}

// The threads a parallel_for starts: the cores, or fewer under worker_cap().
inline unsigned worker_count() {
  const unsigned cap = worker_cap().load();
  return cap == 0 ? core_count() : std::min(core_count(), cap);
}

// True on a thread running a parallel_for's work: a parallel_for inside it (a sweep's
// scenarios each designing, evaluating, estimating rounds) runs serially instead of
// oversubscribing the cores.
inline thread_local bool in_parallel_for = false;

template <class Fn>
void parallel_for(std::size_t n, Fn&& fn, unsigned threads = worker_count()) {
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(n, 1)));
  if (in_parallel_for) threads = 1;
  if (threads <= 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    const bool outer = in_parallel_for;
    in_parallel_for = true;
    struct Restore {
      bool value;
      ~Restore() { in_parallel_for = value; }
    } restore{outer};
    try {
      for (std::size_t i; (i = next.fetch_add(1)) < n;) fn(i);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      next.store(n);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace lotwright::geo::detail
