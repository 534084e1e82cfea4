#include <cmath>

#include "lotwright/core/travel.hpp"

namespace lotwright::geo {

EuclideanTravel::EuclideanTravel(std::vector<Point> sites, double kmh)
    : sites_(std::move(sites)), metres_per_minute_(kmh * 1000.0 / 60.0) {}

void EuclideanTravel::tree(int from, std::vector<float>& out, float limit_minutes) const {
  out.resize(sites_.size());
  const Point a = sites_.at(static_cast<std::size_t>(from));
  for (std::size_t i = 0; i < sites_.size(); ++i) {
    const float m = static_cast<float>(std::hypot(sites_[i].x - a.x, sites_[i].y - a.y) /
                                       metres_per_minute_);
    out[i] = m <= limit_minutes ? m : kUnreachable;
  }
}

float EuclideanTravel::minutes(int from, int to) const {
  const Point a = sites_.at(static_cast<std::size_t>(from));
  const Point b = sites_.at(static_cast<std::size_t>(to));
  return static_cast<float>(std::hypot(b.x - a.x, b.y - a.y) / metres_per_minute_);
}

}  // namespace lotwright::geo
