#pragma once
// The unit graph for other tools: GerryChain (networkx node-link JSON), METIS, PySAL GAL.
#include <filesystem>
#include <string>

#include "lotwright/core/network.hpp"

namespace lotwright::geo {

enum class GraphFormat { gerrychain, metis, gal };
GraphFormat parse_graph_format(const std::string& name);  // throws UsageError
// Written atomically. METIS node i is unit i (units sorted by postcode), 1-based in the file.
void export_graph(const UnitGraph& g, GraphFormat format, const std::filesystem::path& out);

}  // namespace lotwright::geo
