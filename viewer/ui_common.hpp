#pragma once
// Small drawing helpers shared by the viewer's files (lot_viewer, map_view, lot_panel).
#include <imgui.h>

#include <cstdio>
#include <string>

#include "view_model.hpp"

namespace lotwright::viewer {

inline std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

inline ImU32 im(Rgba c, std::uint8_t alpha = 255) { return IM_COL32(c.r, c.g, c.b, alpha); }

inline const ImVec4 kGood(0.05f, 0.55f, 0.15f, 1.f), kNear(0.85f, 0.5f, 0.f, 1.f),
    kBad(0.8f, 0.1f, 0.1f, 1.f);

}  // namespace lotwright::viewer
