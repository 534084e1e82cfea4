// synth-demand: a plausible postcode-level demand file from residents aged 65+ by area.
// Model (docs/synth-demand.md): customers spread over postcodes in proportion to their
// share of the 65+ population; hours per customer lognormal (mean ~13 h/week, long right
// tail, clipped to 1..70, in quarter hours); a quarter of customers waiting for a fifth of
// their hours (5% unmet). Our own sampling code on std::mt19937_64 so the file is byte-identical
// for a seed on every standard library.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numbers>
#include <random>
#include <sstream>

#include "lotwright/study/county.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/gis/io.hpp"
#include "lotwright/synth/synth.hpp"

namespace lotwright::geo {
namespace {

constexpr double kCustomersPer65Plus = 0.018;  // ~1.8% of residents aged 65+ get home care
constexpr double kHoursSigma = 0.65;           // lognormal shape: median ~10.5 h for mean 13
constexpr double kMinHours = 1.0;
constexpr double kMaxHours = 70.0;
constexpr double kWaitingShare = 0.25;         // customers with part of their hours unmet

class Sampler {
 public:
  explicit Sampler(std::uint64_t seed) : rng_(seed) {}
  // Uniform in [0, 1) from the top 53 bits.
  double uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
  // Standard normal (Box-Muller, one value per pair of uniforms).
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

 private:
  std::mt19937_64 rng_;
};

double quarter_hours(double h) { return std::round(h * 4.0) / 4.0; }

struct Cell {
  long customers = 0;
  double hours = 0;
  double unmet = 0;
};

}  // namespace

SynthDemandSummary synth_demand(const Config& config, const std::filesystem::path& out,
                                const SynthDemandOptions& options) {
  if (options.customers < 0) throw UsageError("--customers must be >= 0");
  if (!(options.mean_hours >= kMinHours && options.mean_hours <= kMaxHours))
    throw UsageError("mean hours must be between 1 and 70");
  if (!(options.unmet_share >= 0 && options.unmet_share <= 1))
    throw UsageError("the unmet share must be between 0 and 1");
  if (!config.population)
    throw DataError(where(config.file) +
                    "synth-demand needs a [population] table (path, key, postcode_key, count: "
                    "residents aged 65+ by area)");

  LoadOptions lo;
  lo.demand = false;
  const County county = load_county(config, lo);

  std::vector<std::size_t> idx;  // postcodes with population, in directory order
  std::vector<double> cumulative;
  double total_pop = 0;
  for (std::size_t i = 0; i < county.postcodes.size(); ++i) {
    const auto& r = county.postcodes[i];
    if (!r.inside || r.population <= 0) continue;
    total_pop += r.population;
    idx.push_back(i);
    cumulative.push_back(total_pop);
  }
  if (idx.empty())
    throw DataError(where(config.population->path) + "no postcode inside the boundary has any " +
                    "population in column \"" + config.population->count + "\"");

  const long customers =
      options.customers > 0
          ? options.customers
          : std::max(1L, std::lround(kCustomersPer65Plus * total_pop));
  const double mu = std::log(options.mean_hours) - 0.5 * kHoursSigma * kHoursSigma;
  // A quarter of customers (more when unmet_share > 0.25) wait for part of their package
  // (Devon-style unmet need); each has `fraction` of their hours unmet, so unmet hours are
  // about unmet_share of all hours. Waiting customers are picked systematically (every
  // 1/p_wait-th customer from a random start) so the share does not swing with the seed.
  const double p_wait = std::min(1.0, std::max(kWaitingShare, options.unmet_share));
  const double fraction = options.unmet_share / p_wait;

  Sampler s(options.seed);
  const double phase = s.uniform();
  std::map<std::string, Cell> cells;  // by postcode: the output is sorted
  for (long k = 0; k < customers; ++k) {
    const double u = s.uniform() * total_pop;
    std::size_t j = static_cast<std::size_t>(
        std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
    j = std::min(j, idx.size() - 1);
    const double h = quarter_hours(
        std::clamp(std::exp(mu + kHoursSigma * s.normal()), kMinHours, kMaxHours));
    const bool waiting = std::floor((static_cast<double>(k) + 1) * p_wait + phase) >
                         std::floor(static_cast<double>(k) * p_wait + phase);
    Cell& c = cells[county.postcodes[idx[j]].id];
    ++c.customers;
    c.hours += h;
    if (waiting) c.unmet += quarter_hours(h * fraction);
  }

  SynthDemandSummary sum;
  std::ostringstream csv;
  csv << "postcode,hours_per_week,customers,unmet_hours\n";
  char buf[128];
  for (const auto& [pc, c] : cells) {
    std::snprintf(buf, sizeof buf, "%s,%.2f,%ld,%.2f\n", pc.c_str(), c.hours, c.customers,
                  c.unmet);
    csv << buf;
    ++sum.rows;
    sum.customers += c.customers;
    sum.hours += c.hours;
    sum.unmet_hours += c.unmet;
  }
  write_file_atomic(out, csv.str());
  return sum;
}

}  // namespace lotwright::geo
