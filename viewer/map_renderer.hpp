#pragma once
// OpenGL 3 drawing of the map: cell fills (triangulated once at load, per-vertex lot colour
// updated in place with glBufferSubData), lot boundaries as screen-width quads rebuilt when
// the plan changes, thin cell borders, roads and demand dots. No ImGui here.
#include <cstdint>
#include <string>
#include <vector>

#include "view_model.hpp"

namespace lotwright::viewer {

struct Camera {
  double cx = 0, cy = 0;  // world centre (metres from Meshes::origin)
  double ppm = 1;         // pixels per metre
};

struct Viewport {
  int x = 0, y = 0, w = 1, h = 1;  // framebuffer pixels, y up (GL convention)
};

struct DrawOptions {
  bool cell_borders = true;
  bool roads = true;
  bool dots = true;
  float boundary_px = 2.2f;
  float dot_scale = 1.f;  // multiplies the dots' radii (small when cells are small on screen)
};

class MapRenderer {
 public:
  MapRenderer() = default;
  ~MapRenderer();
  MapRenderer(const MapRenderer&) = delete;
  MapRenderer& operator=(const MapRenderer&) = delete;

  // Compiles the shader for the context's GLSL ("#version 330 core" or "#version 130").
  bool init(bool core33, std::string* error);
  // Static buffers (fills, cell borders, roads, dots) from the meshes; colours from lot_of.
  void upload(const Meshes& mesh, const std::vector<int>& lot_of);
  // Recolours the units whose lot changed since the last call (glBufferSubData per unit,
  // one full upload when many moved) and rebuilds the lot boundary quads.
  void sync(const Meshes& mesh, const std::vector<int>& lot_of);
  void draw(const Camera& cam, const Viewport& vp, const DrawOptions& opt) const;
  std::size_t fill_vertices() const { return fill_vertices_; }
  std::size_t boundary_vertices() const { return boundary_vertices_; }

 private:
  void rebuild_boundaries(const Meshes& mesh, const std::vector<int>& lot_of);
  unsigned program_ = 0;
  int u_scale_ = -1, u_shift_ = -1, u_px_ = -1, u_mode_ = -1, u_point_scale_ = -1;
  unsigned vao_fill_ = 0, vbo_fill_xy_ = 0, vbo_fill_rgba_ = 0;
  unsigned vao_bound_ = 0, vbo_bound_ = 0;
  unsigned vao_cells_ = 0, vbo_cells_ = 0;
  unsigned vao_roads_ = 0, vbo_roads_xy_ = 0, vbo_roads_rgba_ = 0;
  unsigned vao_dots_ = 0, vbo_dots_xy_ = 0, vbo_dots_r_ = 0;
  std::size_t fill_vertices_ = 0, boundary_vertices_ = 0, cell_vertices_ = 0, road_vertices_ = 0,
              dot_vertices_ = 0;
  std::vector<int> shown_lot_;  // per unit: lot whose colour is in the buffer
  std::vector<std::uint32_t> colour_scratch_;
};

}  // namespace lotwright::viewer
