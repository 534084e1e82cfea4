// CBC through its C API: the model is loaded column-wise, solved, and read back.
#include "exact_cbc.hpp"

#include <coin/Cbc_C_Interface.h>

#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <string>

namespace lotwright::geo::detail {
namespace {

struct CbcDeleter {
  void operator()(Cbc_Model* m) const { Cbc_deleteModel(m); }
};
using CbcModel = std::unique_ptr<Cbc_Model, CbcDeleter>;

// Rows to compressed sparse columns, as Cbc_loadProblem takes them.
void load(Cbc_Model* m, const Mip& mip) {
  const int ncols = static_cast<int>(mip.cost.size());
  const int nrows = static_cast<int>(mip.rows.size());
  std::vector<CoinBigIndex> start(static_cast<std::size_t>(ncols) + 1, 0);
  for (const auto& r : mip.rows)
    for (int c : r.cols) ++start[static_cast<std::size_t>(c) + 1];
  for (int c = 0; c < ncols; ++c) start[c + 1] += start[c];
  std::vector<int> index(static_cast<std::size_t>(start[ncols]));
  std::vector<double> value(index.size());
  std::vector<CoinBigIndex> next(start.begin(), start.end() - 1);
  std::vector<double> rlo(static_cast<std::size_t>(nrows)), rhi(rlo.size());
  for (int r = 0; r < nrows; ++r) {
    const auto& row = mip.rows[r];
    for (std::size_t k = 0; k < row.cols.size(); ++k) {
      const auto at = static_cast<std::size_t>(next[row.cols[k]]++);
      index[at] = r;
      value[at] = row.coefs[k];
    }
    rlo[r] = row.lo;
    rhi[r] = row.hi;
  }
  const std::vector<double> clo(static_cast<std::size_t>(ncols), 0.0), chi(clo.size(), 1.0);
  Cbc_loadProblem(m, ncols, nrows, start.data(), index.data(), value.data(), clo.data(), chi.data(),
                  mip.cost.data(), rlo.data(), rhi.data());
  for (int c = 0; c < ncols; ++c) Cbc_setInteger(m, c);
}

}  // namespace

MipAnswer solve_mip(const Mip& mip, const std::vector<double>* start, double seconds,
                    int max_nodes) {
  // CBC's driver (CbcMain1 behind Cbc_solve) keeps static state: two solves at once in one
  // process crashed in CglPreProcess::postProcess under ASan when a sweep designed scenarios
  // in parallel. One solve at a time, process-wide; each solve is single-threaded anyway.
  static std::mutex cbc_mutex;
  const std::lock_guard<std::mutex> lock(cbc_mutex);
  CbcModel model(Cbc_newModel());
  Cbc_Model* m = model.get();
  load(m, mip);
  Cbc_setLogLevel(m, 0);
  Cbc_setParameter(m, "threads", "1");
  Cbc_setParameter(m, "timeMode", "elapsed");
  Cbc_setAllowableGap(m, 1e-7);
  Cbc_setAllowableFractionGap(m, 1e-9);
  if (seconds > 0) Cbc_setMaximumSeconds(m, seconds);
  if (max_nodes > 0) Cbc_setMaximumNodes(m, max_nodes);
  if (start && start->size() == mip.cost.size()) {
    std::vector<int> idx(start->size());
    for (std::size_t c = 0; c < idx.size(); ++c) idx[c] = static_cast<int>(c);
    Cbc_setMIPStartI(m, static_cast<int>(idx.size()), idx.data(), start->data());
  }
  Cbc_solve(m);

  MipAnswer a;
  const int ncols = static_cast<int>(mip.cost.size());
  if (Cbc_isProvenInfeasible(m)) {
    a.status = MipAnswer::Status::infeasible;
    a.bound = std::numeric_limits<double>::infinity();
    a.nodes = Cbc_getNodeCount(m);
    return a;
  }
  a.status = Cbc_isProvenOptimal(m) ? MipAnswer::Status::optimal : MipAnswer::Status::stopped;
  a.stopped_on_time = Cbc_isSecondsLimitReached(m) != 0;
  a.nodes = Cbc_getNodeCount(m);
  a.bound = Cbc_getBestPossibleObjValue(m);
  if (const double* best = Cbc_bestSolution(m)) a.solutions.emplace_back(best, best + ncols);
  const int saved = Cbc_numberSavedSolutions(m);
  for (int s = 0; s < saved; ++s)
    if (const double* x = Cbc_savedSolution(m, s)) a.solutions.emplace_back(x, x + ncols);
  return a;
}

}  // namespace lotwright::geo::detail
