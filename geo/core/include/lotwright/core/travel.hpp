#pragma once
// Travel times between sites: the abstract oracle every stage asks, and two oracles that need
// no road network (straight line; shortest paths over a unit graph's adjacency).
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "lotwright/core/types.hpp"

namespace lotwright::geo {

struct UnitGraph;

inline constexpr float kUnreachable = std::numeric_limits<float>::infinity();

// Minutes between sites: abstract so the designer and metrics can run on synthetic graphs.
// Implementations are thread-safe for concurrent const calls.
class TravelOracle {
 public:
  virtual ~TravelOracle() = default;
  virtual std::size_t size() const = 0;
  // Minutes from site `from` to every site (out resized to size()); kUnreachable beyond
  // limit_minutes or where no road joins them.
  virtual void tree(int from, std::vector<float>& out,
                    float limit_minutes = kUnreachable) const = 0;
  // Minutes from one site to another (may be answered by a tree).
  virtual float minutes(int from, int to) const;
  // Minutes from `from` to each of `targets` (out[i] for targets[i]; kUnreachable beyond
  // limit_minutes). Same answers as tree(); RoadTravel stops its search as soon as every
  // target is settled. Default: one tree().
  virtual void times_to(int from, const std::vector<int>& targets, std::vector<float>& out,
                        float limit_minutes = kUnreachable) const;
  // Travel along roads: per site, the part of the road network (connected component) it is
  // placed on, or -1 where no road was within reach. Empty when travel does not follow
  // roads (straight lines, chains of neighbouring units). Default: empty.
  virtual std::vector<std::int64_t> road_parts() const { return {}; }
};

// Straight-line travel at a fixed speed: tests, synthetic graphs, and a fallback when no
// road network is configured.
class EuclideanTravel : public TravelOracle {
 public:
  EuclideanTravel(std::vector<Point> sites, double kmh);
  std::size_t size() const override { return sites_.size(); }
  void tree(int from, std::vector<float>& out, float limit_minutes = kUnreachable) const override;
  float minutes(int from, int to) const override;

 private:
  std::vector<Point> sites_;
  double metres_per_minute_;
};

// Shortest paths over the adjacency's minutes (Dijkstra on the CSR).
class GraphTravel : public TravelOracle {
 public:
  explicit GraphTravel(const UnitGraph& g);  // copies the CSR
  std::size_t size() const override { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  void tree(int from, std::vector<float>& out, float limit_minutes = kUnreachable) const override;

 private:
  // An arc's head and minutes side by side: the relax loop reads both (one cache line).
  struct Arc {
    std::uint32_t to;
    float minutes;
  };
  std::vector<std::uint32_t> offsets_;
  std::vector<Arc> arcs_;
};

}  // namespace lotwright::geo
