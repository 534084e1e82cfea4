#pragma once
// Fuzz target bodies, one per reader (fuzz/CMakeLists.txt, docs/robustness.md "Fuzzing").
// Each takes the bytes of one input file, writes them where the reader expects a file (a
// scratch folder of this process) and calls the reader. A geo::DataError is the reader
// refusing the input with a message, which is fine; everything else (a crash, another
// exception, undefined behaviour, a hang, unbounded memory) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lotwright::fuzz {

// Returns 0 when the reader accepted the input, 1 when it refused it with a DataError.
using Target = int (*)(const std::uint8_t* data, std::size_t size);

int demand_csv(const std::uint8_t* data, std::size_t size);    // [demand] CSV (load_county)
int postcode_csv(const std::uint8_t* data, std::size_t size);  // [postcodes] CSV (load_county)
int config_toml(const std::uint8_t* data, std::size_t size);   // load_config
int plan_csv(const std::uint8_t* data, std::size_t size);      // foreign plan, lenient
int locked_csv(const std::uint8_t* data, std::size_t size);    // [design] locked: strict
int osm_xml(const std::uint8_t* data, std::size_t size);       // roads from .osm
int osm_pbf(const std::uint8_t* data, std::size_t size);       // roads from .osm.pbf

struct NamedTarget {
  std::string name;  // also the corpus folder: tests/fuzz/corpus/<name>/
  Target run;
};
const std::vector<NamedTarget>& all_targets();

}  // namespace lotwright::fuzz
