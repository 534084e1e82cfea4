// lotwright inspect CONFIG: validates the county inputs and prints what was read.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "command.hpp"
#include "lotwright/core/error.hpp"
#include "lotwright/study/config.hpp"
#include "lotwright/study/county.hpp"
#include "lotwright/study/units.hpp"
#include "options.hpp"
#include "report.hpp"

namespace lotwright::cli {
namespace {

std::string num(double v, int decimals = 0) {
  // Thousands separators for readability: 5129 -> 5,129.
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s(buf);
  const std::size_t dot = s.find('.');
  std::string int_part = s.substr(0, dot == std::string::npos ? s.size() : dot);
  const std::string frac = dot == std::string::npos ? "" : s.substr(dot);
  const bool neg = !int_part.empty() && int_part[0] == '-';
  if (neg) int_part.erase(0, 1);
  std::string out;
  for (std::size_t i = 0; i < int_part.size(); ++i) {
    if (i > 0 && (int_part.size() - i) % 3 == 0) out += ',';
    out += int_part[i];
  }
  return (neg ? "-" : "") + out + frac;
}

// Hours as plain numbers with two decimals (no thousands separator), so the figure can be
// compared with a spreadsheet's sum of the file as it is.
std::string hours(double h) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", h);
  return buf;
}

class Printer {
 public:
  explicit Printer(std::ostream& os) : os_(os) {}
  void line(const std::string& label, const std::string& value) {
    os_ << "  " << label << std::string(label.size() < 28 ? 28 - label.size() : 1, ' ') << value
        << "\n";
  }
  void heading(const std::string& h) { os_ << h << "\n"; }

 private:
  std::ostream& os_;
};

class InspectCommand final : public Command {
 public:
  std::string name() const override { return "inspect"; }
  std::string description() const override {
    return "validate a county's inputs and print a summary of what was read";
  }
  std::vector<std::string> examples() const override {
    return {"lotwright inspect examples/isle-of-wight.toml"};
  }
  void setup(CLI::App& app) override { config_.add_to(app); }

  int run() override {
    const geo::Config cfg = geo::load_config(config_.config);
    const geo::County county = geo::load_county(cfg);
    std::ostringstream out;
    Printer p(out);
    p.heading("Area: " + cfg.area.name);
    p.line("boundary", cfg.area.boundary.string());
    p.line("boundary area", num(county.boundary_area_km2, 1) + " km2 (" +
                                plural(static_cast<long long>(county.boundary.size()), "polygon") +
                                ")");
    p.heading("Postcodes: " + cfg.postcodes.path.string());
    p.line("postcodes read", num(static_cast<double>(county.postcodes_read)));
    p.line("inside the boundary", num(static_cast<double>(county.postcodes_inside)));
    if (cfg.rural) {
      p.heading("Rural class: " + cfg.rural->path.string());
      const double pct = county.postcodes_inside > 0
                             ? 100.0 * static_cast<double>(county.rural_matched) /
                                   static_cast<double>(county.postcodes_inside)
                             : 0;
      p.line("postcodes with a class", num(static_cast<double>(county.rural_matched)) + " of " +
                                           num(static_cast<double>(county.postcodes_inside)) +
                                           " inside (" + num(pct, 1) + "%)");
    }
    if (cfg.population) {
      double pop = 0;
      long with = 0;
      for (const auto& r : county.postcodes) {
        pop += r.population;
        with += r.population > 0 ? 1 : 0;
      }
      p.heading("Population: " + cfg.population->path.string());
      p.line(cfg.population->count,
             num(pop) + " on " + num(static_cast<double>(with)) + " postcodes inside");
    }
    if (county.has_demand) {
      const auto& d = county.demand;
      p.heading("Demand: " + cfg.demand->path.string());
      auto n = [](double v, const std::string& one) {
        return plural(static_cast<long long>(std::llround(v)), one);
      };
      p.line("rows", num(static_cast<double>(d.rows)) +
                         (d.duplicate_rows
                              ? " (" + n(static_cast<double>(d.duplicate_rows), "duplicate row") +
                                    " summed)"
                              : ""));
      p.line("total", hours(d.total_hours) + " h/week, " + n(d.total_customers, "customer"));
      p.line("matched", n(static_cast<double>(d.matched_rows), "row") + ", " +
                            n(d.matched_customers, "customer") + ", " + hours(d.matched_hours) +
                            " h/week");
      p.line("unmatched", n(static_cast<double>(d.unmatched_rows), "row") + ", " +
                              n(d.unmatched_customers, "customer") + ", " +
                              hours(d.unmatched_hours) + " h/week");
      if (cfg.demand && !cfg.demand->unmet_hours.empty())
        p.line("unmet", hours(d.unmet_hours) + " h/week");
    } else {
      p.heading("Demand: none configured ([demand] path)");
    }
    const auto& warnings = county.warnings;
    out << "Warnings: " << (warnings.empty() ? "none" : std::to_string(warnings.size())) << "\n";
    for (const auto& w : warnings) out << "  - " << cut_long_values(w) << "\n";
    std::cout << out.str() << std::flush;

    // Units last: they take longest and are built by their own module.
    const geo::Units units =
        cfg.units ? geo::build_units(county, *cfg.units) : geo::build_units(county);
    std::ostringstream u;
    Printer pu(u);
    pu.heading(cfg.units ? "Units: " + cfg.units->path.string() : "Units: postcode cells");
    pu.line("units", num(static_cast<double>(units.units.size())));
    pu.line("adjacent pairs", num(static_cast<double>(units.edges.size())));
    pu.line("warnings", units.warnings.empty() ? "none" : std::to_string(units.warnings.size()));
    for (const auto& w : units.warnings) u << "  - " << cut_long_values(w) << "\n";
    std::cout << u.str();
    return 0;
  }

 private:
  ConfigArg config_;
};

}  // namespace

std::unique_ptr<Command> make_inspect_command() { return std::make_unique<InspectCommand>(); }

}  // namespace lotwright::cli
