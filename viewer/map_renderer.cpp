#include "map_renderer.hpp"

#include <cmath>

#include "gl.hpp"

namespace lotwright::viewer {

namespace {

constexpr const char* kVertexBody = R"(
in vec2 a_pos;
in vec2 a_off;
in vec4 a_col;
uniform vec2 u_scale;
uniform vec2 u_shift;
uniform float u_px;   // metres per pixel
uniform int u_mode;   // 0 polygons/lines (a_off in pixels), 1 points (a_off.x = radius px)
uniform float u_point_scale;
out vec4 v_col;
void main() {
  vec2 p = a_pos;
  if (u_mode == 0) p += a_off * u_px;
  gl_Position = vec4(p * u_scale + u_shift, 0.0, 1.0);
  gl_PointSize = u_mode == 1 ? 2.0 * a_off.x * u_point_scale + 1.0 : 1.0;
  v_col = a_col;
}
)";

constexpr const char* kFragmentBody = R"(
in vec4 v_col;
uniform int u_mode;
out vec4 frag;
void main() {
  if (u_mode == 1) {
    vec2 d = gl_PointCoord - vec2(0.5);
    if (dot(d, d) > 0.25) discard;
  }
  frag = v_col;
}
)";

enum Attr : unsigned { kPos = 0, kOff = 1, kCol = 2 };

unsigned compile(unsigned type, const std::string& src, std::string* error) {
  const unsigned s = glCreateShader(type);
  const char* p = src.c_str();
  glShaderSource(s, 1, &p, nullptr);
  glCompileShader(s);
  GLint ok = 0;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[2048] = {0};
    glGetShaderInfoLog(s, sizeof log, nullptr, log);
    if (error) *error = std::string("shader: ") + log;
    glDeleteShader(s);
    return 0;
  }
  return s;
}

void upload_buffer(unsigned vbo, const void* data, std::size_t bytes, GLenum usage) {
  glBindBuffer(GL_ARRAY_BUFFER, vbo);
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(bytes), bytes ? data : nullptr, usage);
}

void float_attr(unsigned vbo, Attr a, int size, int stride = 0, std::size_t offset = 0) {
  glBindBuffer(GL_ARRAY_BUFFER, vbo);
  glEnableVertexAttribArray(a);
  glVertexAttribPointer(a, size, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<const void*>(offset));
}

void colour_attr(unsigned vbo, int stride = 0, std::size_t offset = 0) {
  glBindBuffer(GL_ARRAY_BUFFER, vbo);
  glEnableVertexAttribArray(kCol);
  glVertexAttribPointer(kCol, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                        reinterpret_cast<const void*>(offset));
}

struct BoundVertex {
  float x, y, ox, oy;
  std::uint32_t rgba;
};

}  // namespace

MapRenderer::~MapRenderer() {
  if (!program_) return;
  const unsigned buffers[] = {vbo_fill_xy_,  vbo_fill_rgba_,  vbo_bound_,   vbo_cells_,
                              vbo_roads_xy_, vbo_roads_rgba_, vbo_dots_xy_, vbo_dots_r_};
  glDeleteBuffers(8, buffers);
  const unsigned arrays[] = {vao_fill_, vao_bound_, vao_cells_, vao_roads_, vao_dots_};
  glDeleteVertexArrays(5, arrays);
  glDeleteProgram(program_);
}

bool MapRenderer::init(bool core33, std::string* error) {
  const std::string header = core33 ? "#version 330 core\n" : "#version 130\n";
  const unsigned vs = compile(GL_VERTEX_SHADER, header + kVertexBody, error);
  if (!vs) return false;
  const unsigned fs = compile(GL_FRAGMENT_SHADER, header + kFragmentBody, error);
  if (!fs) {
    glDeleteShader(vs);
    return false;
  }
  program_ = glCreateProgram();
  glAttachShader(program_, vs);
  glAttachShader(program_, fs);
  glBindAttribLocation(program_, kPos, "a_pos");
  glBindAttribLocation(program_, kOff, "a_off");
  glBindAttribLocation(program_, kCol, "a_col");
  glBindFragDataLocation(program_, 0, "frag");
  glLinkProgram(program_);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(program_, GL_LINK_STATUS, &ok);
  if (!ok) {
    char log[2048] = {0};
    glGetProgramInfoLog(program_, sizeof log, nullptr, log);
    if (error) *error = std::string("shader link: ") + log;
    glDeleteProgram(program_);
    program_ = 0;
    return false;
  }
  u_scale_ = glGetUniformLocation(program_, "u_scale");
  u_shift_ = glGetUniformLocation(program_, "u_shift");
  u_px_ = glGetUniformLocation(program_, "u_px");
  u_mode_ = glGetUniformLocation(program_, "u_mode");
  u_point_scale_ = glGetUniformLocation(program_, "u_point_scale");
  unsigned arrays[5];
  glGenVertexArrays(5, arrays);
  vao_fill_ = arrays[0];
  vao_bound_ = arrays[1];
  vao_cells_ = arrays[2];
  vao_roads_ = arrays[3];
  vao_dots_ = arrays[4];
  unsigned buffers[8];
  glGenBuffers(8, buffers);
  vbo_fill_xy_ = buffers[0];
  vbo_fill_rgba_ = buffers[1];
  vbo_bound_ = buffers[2];
  vbo_cells_ = buffers[3];
  vbo_roads_xy_ = buffers[4];
  vbo_roads_rgba_ = buffers[5];
  vbo_dots_xy_ = buffers[6];
  vbo_dots_r_ = buffers[7];
  return true;
}

void MapRenderer::upload(const Meshes& mesh, const std::vector<int>& lot_of) {
  fill_vertices_ = mesh.fill_xy.size() / 2;
  glBindVertexArray(vao_fill_);
  upload_buffer(vbo_fill_xy_, mesh.fill_xy.data(), mesh.fill_xy.size() * sizeof(float),
                GL_STATIC_DRAW);
  float_attr(vbo_fill_xy_, kPos, 2);
  colour_scratch_.assign(fill_vertices_, unassigned_colour().packed());
  shown_lot_.assign(lot_of.size(), 0);
  for (std::size_t u = 0; u < lot_of.size(); ++u) {
    shown_lot_[u] = lot_of[u];
    const std::uint32_t c = lot_colour(lot_of[u]).packed();
    for (std::uint32_t k = 0; k < mesh.unit_count[u]; ++k)
      colour_scratch_[mesh.unit_first[u] + k] = c;
  }
  upload_buffer(vbo_fill_rgba_, colour_scratch_.data(), colour_scratch_.size() * 4,
                GL_DYNAMIC_DRAW);
  colour_attr(vbo_fill_rgba_);

  // Thin borders between cells (all of them; drawn only when zoomed in).
  std::vector<float> lines;
  lines.reserve(mesh.segments.size() * 4);
  for (const auto& s : mesh.segments) lines.insert(lines.end(), {s.ax, s.ay, s.bx, s.by});
  cell_vertices_ = lines.size() / 2;
  glBindVertexArray(vao_cells_);
  upload_buffer(vbo_cells_, lines.data(), lines.size() * sizeof(float), GL_STATIC_DRAW);
  float_attr(vbo_cells_, kPos, 2);

  road_vertices_ = mesh.road_xy.size() / 2;
  glBindVertexArray(vao_roads_);
  upload_buffer(vbo_roads_xy_, mesh.road_xy.data(), mesh.road_xy.size() * sizeof(float),
                GL_STATIC_DRAW);
  float_attr(vbo_roads_xy_, kPos, 2);
  upload_buffer(vbo_roads_rgba_, mesh.road_rgba.data(), mesh.road_rgba.size() * 4, GL_STATIC_DRAW);
  colour_attr(vbo_roads_rgba_);

  dot_vertices_ = mesh.dot_xy.size() / 2;
  glBindVertexArray(vao_dots_);
  upload_buffer(vbo_dots_xy_, mesh.dot_xy.data(), mesh.dot_xy.size() * sizeof(float),
                GL_STATIC_DRAW);
  float_attr(vbo_dots_xy_, kPos, 2);
  upload_buffer(vbo_dots_r_, mesh.dot_radius_px.data(), mesh.dot_radius_px.size() * sizeof(float),
                GL_STATIC_DRAW);
  float_attr(vbo_dots_r_, kOff, 1);

  glBindVertexArray(vao_bound_);
  upload_buffer(vbo_bound_, nullptr, 0, GL_DYNAMIC_DRAW);
  float_attr(vbo_bound_, kPos, 2, sizeof(BoundVertex), 0);
  float_attr(vbo_bound_, kOff, 2, sizeof(BoundVertex), 2 * sizeof(float));
  colour_attr(vbo_bound_, sizeof(BoundVertex), 4 * sizeof(float));
  glBindVertexArray(0);
  rebuild_boundaries(mesh, lot_of);
}

void MapRenderer::sync(const Meshes& mesh, const std::vector<int>& lot_of) {
  std::vector<std::size_t> moved;
  for (std::size_t u = 0; u < lot_of.size(); ++u)
    if (shown_lot_[u] != lot_of[u]) moved.push_back(u);
  if (moved.empty()) return;
  glBindBuffer(GL_ARRAY_BUFFER, vbo_fill_rgba_);
  for (std::size_t u : moved) {
    shown_lot_[u] = lot_of[u];
    const std::uint32_t c = lot_colour(lot_of[u]).packed();
    for (std::uint32_t k = 0; k < mesh.unit_count[u]; ++k)
      colour_scratch_[mesh.unit_first[u] + k] = c;
  }
  if (moved.size() > 2000) {
    glBufferSubData(GL_ARRAY_BUFFER, 0, static_cast<GLsizeiptr>(colour_scratch_.size() * 4),
                    colour_scratch_.data());
  } else {
    for (std::size_t u : moved)
      if (mesh.unit_count[u])
        glBufferSubData(GL_ARRAY_BUFFER, static_cast<GLintptr>(mesh.unit_first[u]) * 4,
                        static_cast<GLsizeiptr>(mesh.unit_count[u]) * 4,
                        colour_scratch_.data() + mesh.unit_first[u]);
  }
  rebuild_boundaries(mesh, lot_of);
}

void MapRenderer::rebuild_boundaries(const Meshes& mesh, const std::vector<int>& lot_of) {
  std::vector<BoundVertex> v;
  const std::uint32_t lot_line = Rgba{40, 40, 48, 255}.packed();
  const std::uint32_t coast = Rgba{70, 90, 110, 255}.packed();
  for (const auto& s : mesh.segments) {
    const int a = lot_of[static_cast<std::size_t>(s.u)];
    const bool edge = s.v < 0;
    if (!edge && a == lot_of[static_cast<std::size_t>(s.v)]) continue;
    float dx = s.bx - s.ax, dy = s.by - s.ay;
    const float len = std::sqrt(dx * dx + dy * dy);
    if (len <= 0) continue;
    // Half widths in pixels; the vertex shader scales them by metres per pixel.
    const float hw = edge ? 0.8f : 1.2f;
    const float nx = -dy / len * hw, ny = dx / len * hw;
    const float ex = dx / len * hw, ey = dy / len * hw;  // extend ends to close joints
    const std::uint32_t c = edge ? coast : lot_line;
    const BoundVertex p0{s.ax, s.ay, nx - ex, ny - ey, c}, p1{s.ax, s.ay, -nx - ex, -ny - ey, c},
        p2{s.bx, s.by, nx + ex, ny + ey, c}, p3{s.bx, s.by, -nx + ex, -ny + ey, c};
    v.insert(v.end(), {p0, p1, p2, p2, p1, p3});
  }
  boundary_vertices_ = v.size();
  upload_buffer(vbo_bound_, v.data(), v.size() * sizeof(BoundVertex), GL_DYNAMIC_DRAW);
}

void MapRenderer::draw(const Camera& cam, const Viewport& vp, const DrawOptions& opt) const {
  if (!program_) return;
  glViewport(vp.x, vp.y, vp.w, vp.h);
  glEnable(GL_BLEND);
  glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  glEnable(GL_PROGRAM_POINT_SIZE);
  glUseProgram(program_);
  const float sx = static_cast<float>(2 * cam.ppm / vp.w),
              sy = static_cast<float>(2 * cam.ppm / vp.h);
  glUniform2f(u_scale_, sx, sy);
  glUniform2f(u_shift_, static_cast<float>(-cam.cx * sx), static_cast<float>(-cam.cy * sy));
  const float mpp = static_cast<float>(1.0 / cam.ppm);
  glUniform1f(u_px_, mpp * opt.boundary_px / 2.2f);
  glUniform1i(u_mode_, 0);

  glVertexAttrib2f(kOff, 0, 0);
  glBindVertexArray(vao_fill_);
  glDrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(fill_vertices_));

  if (opt.cell_borders && cell_vertices_) {
    glBindVertexArray(vao_cells_);
    glVertexAttrib4f(kCol, 1.f, 1.f, 1.f, 0.45f);
    glVertexAttrib2f(kOff, 0, 0);
    glDrawArrays(GL_LINES, 0, static_cast<GLsizei>(cell_vertices_));
  }
  if (opt.roads && road_vertices_) {
    glBindVertexArray(vao_roads_);
    glVertexAttrib2f(kOff, 0, 0);
    glDrawArrays(GL_LINES, 0, static_cast<GLsizei>(road_vertices_));
  }
  if (boundary_vertices_) {
    glBindVertexArray(vao_bound_);
    glDrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(boundary_vertices_));
  }
  if (opt.dots && dot_vertices_) {
    glUniform1i(u_mode_, 1);
    glUniform1f(u_point_scale_, opt.dot_scale);
    glBindVertexArray(vao_dots_);
    glVertexAttrib4f(kCol, 0.1f, 0.1f, 0.15f, 0.55f);
    glDrawArrays(GL_POINTS, 0, static_cast<GLsizei>(dot_vertices_));
  }
  glBindVertexArray(0);
  glUseProgram(0);
}

}  // namespace lotwright::viewer
