#include "support.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace lotwright::test {

fs::path iow_dir() { return fs::path(kDataDir) / "isle-of-wight"; }
fs::path rutland_dir() { return fs::path(kDataDir) / "rutland"; }

ScratchDir::ScratchDir(const std::string& name) {
  static std::atomic<int> counter{0};
  std::string base = name;
  if (base.empty()) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    base = info ? std::string(info->test_suite_name()) + "." + info->name() : "scratch";
    std::replace(base.begin(), base.end(), '/', '_');
  }
  path_ = fs::path(kBinaryDir) / "test-scratch" /
          (base + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  if (!std::getenv("LOTWRIGHT_KEEP_SCRATCH")) fs::remove_all(path_, ec);
}

void write_text(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> list_files(const fs::path& dir) {
  std::vector<std::string> files;
  if (!fs::exists(dir)) return files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(fs::relative(e.path(), dir).string());
  std::sort(files.begin(), files.end());
  return files;
}

CliResult run_program(const std::string& program, const std::vector<std::string>& args) {
  // stdout and stderr go to temporary files so large outputs cannot deadlock a pipe.
  ScratchDir io("cli-io");
  const fs::path out_file = io / "stdout", err_file = io / "stderr";
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    FILE* o = std::fopen(out_file.c_str(), "w");
    FILE* e = std::fopen(err_file.c_str(), "w");
    if (!o || !e) _exit(127);
    ::dup2(fileno(o), 1);
    ::dup2(fileno(e), 2);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_text(out_file);
  r.err = read_text(err_file);
  return r;
}

CliResult run_cli(const std::vector<std::string>& args) { return run_program(kCliPath, args); }

void copy_sample(const fs::path& dir) {
  fs::create_directories(dir);
  for (const auto& e : fs::directory_iterator(fs::path(kSourceDir) / "shapefiles"))
    if (e.is_regular_file()) fs::copy_file(e.path(), dir / e.path().filename());
}

std::string iow_config_text(const fs::path& demand_csv, const std::string& demand_keys,
                            const std::string& roads_keys, const std::string& extra_toml) {
  const fs::path d = iow_dir();
  std::ostringstream t;
  t << "[area]\nname = \"Isle of Wight\"\nboundary = \""
    << (d / "boundaries/la_E06000046_dissolved_from_lsoa21_bgc.geojson").string() << "\"\n\n"
    << "[postcodes]\npath = \"" << (d / "postcodes/postcodes_E06000046_enriched.csv").string()
    << "\"\nid = \"postcode\"\nx = \"easting\"\ny = \"northing\"\ncrs = \"EPSG:27700\"\n\n";
  if (!demand_csv.empty())
    t << "[demand]\npath = \"" << demand_csv.string()
      << "\"\npostcode = \"postcode\"\nhours = \"hours_per_week\"\ncustomers = \"customers\"\n"
      << demand_keys << "\n";
  t << "[roads]\nosm = \"" << (d / "osm/isle-of-wight-2015-01-01.osm.pbf").string()
    << "\"\nprofile = \"car\"\n"
    << roads_keys << "\n"
    << "[rural]\npath = \"" << (d / "classification/ruc2011_lsoa11_E06000046.csv").string()
    << "\"\nkey = \"LSOA11CD\"\npostcode_key = \"lsoa11cd\"\nclass = \"RUC11CD\"\n\n"
    << "[population]\npath = \""
    << (d / "classification/census2021_age6_lsoa21_E06000046.csv").string()
    << "\"\nkey = \"LSOA21CD\"\npostcode_key = \"lsoa21cd\"\ncount = \"age_65_plus\"\n\n"
    << extra_toml;
  return t.str();
}

fs::path write_iow_config(const fs::path& dir, const fs::path& demand_csv,
                          const std::string& extra_toml) {
  const fs::path cfg = dir / "config.toml";
  write_text(cfg, iow_config_text(demand_csv, "", "", extra_toml));
  return cfg;
}

std::string rutland_config_text(const fs::path& demand_csv, const std::string& extra_toml) {
  const fs::path d = rutland_dir();
  auto q = [](const fs::path& p) { return "\"" + p.string() + "\""; };
  std::string t = "[area]\nname = \"Rutland\"\nboundary = " +
                  q(d / "boundaries/la_E06000017_dissolved_from_lsoa21_bgc.geojson") +
                  "\n[postcodes]\npath = " + q(d / "postcodes/postcodes_E06000017_enriched.csv") +
                  "\nid = \"postcode\"\nx = \"easting\"\ny = \"northing\"\ncrs = \"EPSG:27700\"\n";
  if (!demand_csv.empty())
    t += "[demand]\npath = " + q(demand_csv) +
         "\npostcode = \"postcode\"\nhours = \"hours_per_week\"\ncustomers = \"customers\"\n";
  t += "[roads]\nosm = " + q(d / "osm/rutland-latest-2018-02-27.osm.pbf") +
       "\nprofile = \"car\"\n[population]\npath = " +
       q(d / "classification/census2021_age6_lsoa21_E06000017.csv") +
       "\nkey = \"LSOA21CD\"\npostcode_key = \"lsoa21cd\"\ncount = \"age_65_plus\"\n" + extra_toml;
  return t;
}

CliResult run_in_xvfb(const std::string& program, const std::vector<std::string>& args,
                      const std::string& screen) {
  // Our own auth file: xvfb-run then has no temporary folder of its own to remove, whose
  // removal fails now and then (exit 5, "problem while cleaning up temporary directory").
  ScratchDir auth("xauth");
  std::vector<std::string> all = {
      "-a", "-f", (auth / "Xauthority").string(), "-s", "-screen 0 " + screen, program};
  all.insert(all.end(), args.begin(), args.end());
  return run_program("/usr/bin/xvfb-run", all);
}

CliResult run_viewer(const std::vector<std::string>& args) {
  return run_in_xvfb(kViewerPath, args);
}

}  // namespace lotwright::test
