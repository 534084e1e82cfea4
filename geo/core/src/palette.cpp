#include "lotwright/core/palette.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

namespace lotwright::geo {
namespace {

constexpr std::array<LotRgb, kPaletteSize> kPalette = {{
    {31, 119, 180},  {255, 127, 14},  {44, 160, 44},   {214, 39, 40},   {148, 103, 189},
    {140, 86, 75},   {227, 119, 194}, {188, 189, 34},  {23, 190, 207},  {174, 199, 232},
    {255, 187, 120}, {152, 223, 138}, {255, 152, 150}, {197, 176, 213}, {196, 156, 148},
    {247, 182, 210}, {219, 219, 141}, {158, 218, 229}, {0, 125, 52},    {246, 118, 142},
}};

}  // namespace

LotRgb lot_rgb(int lot) {
  if (lot < 0) return {205, 205, 205};
  const LotRgb base = kPalette[static_cast<std::size_t>(lot % kPaletteSize)];
  const int round = lot / kPaletteSize;
  if (round == 0) return base;
  const double f = std::pow(0.75, round);
  return {static_cast<std::uint8_t>(base.r * f), static_cast<std::uint8_t>(base.g * f),
          static_cast<std::uint8_t>(base.b * f)};
}

std::string lot_hex(int lot) {
  const LotRgb c = lot_rgb(lot);
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
  return buf;
}

std::vector<int> colour_zones(int zones, const std::vector<std::pair<int, int>>& adjacent) {
  const auto n = static_cast<std::size_t>(std::max(zones, 0));
  std::vector<std::set<int>> nb(n);
  for (const auto& [a, b] : adjacent) {
    if (a == b || a < 0 || b < 0 || static_cast<std::size_t>(a) >= n ||
        static_cast<std::size_t>(b) >= n)
      continue;
    nb[a].insert(b);
    nb[b].insert(a);
  }
  std::vector<int> colour(n, -1);
  std::vector<int> used(kPaletteSize, 0);
  for (std::size_t step = 0; step < n; ++step) {
    std::size_t best = n;
    std::size_t best_sat = 0;
    for (std::size_t z = 0; z < n; ++z) {
      if (colour[z] >= 0) continue;
      std::set<int> seen;
      for (int m : nb[z])
        if (colour[m] >= 0) seen.insert(colour[m]);
      if (best == n || seen.size() > best_sat ||
          (seen.size() == best_sat && nb[z].size() > nb[best].size())) {
        best = z;
        best_sat = seen.size();
      }
    }
    std::vector<bool> taken(kPaletteSize, false);
    for (int m : nb[best])
      if (colour[m] >= 0) taken[colour[m] % kPaletteSize] = true;
    int pick = -1;
    for (int c = 0; c < kPaletteSize; ++c)
      if (!taken[c] && (pick < 0 || used[c] < used[pick])) pick = c;
    if (pick < 0) {  // more than 20 neighbours all different: a darker round of the palette
      pick = kPaletteSize;
      std::set<int> taken_all;
      for (int m : nb[best]) taken_all.insert(colour[m]);
      while (taken_all.count(pick)) ++pick;
    } else {
      ++used[pick];
    }
    colour[best] = pick;
  }
  return colour;
}

std::vector<int> zone_colours(const UnitGraph& g, const Plan& plan) {
  std::set<std::pair<int, int>> pairs;
  for (std::size_t u = 0; u < g.size() && u < plan.lot_of.size(); ++u) {
    const int a = plan.lot_of[u];
    if (a < 0 || u + 1 >= g.offsets.size()) continue;
    for (auto k = g.offsets[u]; k < g.offsets[u + 1]; ++k) {
      const int b = g.targets[k] < plan.lot_of.size() ? plan.lot_of[g.targets[k]] : -1;
      if (b >= 0 && b != a) pairs.emplace(std::min(a, b), std::max(a, b));
    }
  }
  return colour_zones(plan.lot_count, {pairs.begin(), pairs.end()});
}

namespace {

std::string rgb(int colour) {
  const LotRgb c = lot_rgb(colour);
  return std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b);
}

std::string xml_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

}  // namespace

std::string zone_style_qml(const ZoneStyle& st) {
  const int n = static_cast<int>(st.colours.size());
  std::ostringstream q;
  q << "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
    << "<qgis version=\"3.22.0\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"1\">\n"
    << " <renderer-v2 type=\"categorizedSymbol\" attr=\"" << st.attr
    << "\" symbollevels=\"0\" "
       "enableorderby=\"0\" forceraster=\"0\">\n  <categories>\n";
  for (int l = 0; l < n; ++l) {
    const std::string name = l < static_cast<int>(st.names.size()) ? st.names[l] : "";
    q << "   <category symbol=\"" << l << "\" value=\"" << l + 1 << "\" label=\""
      << xml_escape(std::to_string(l + 1) + (name.empty() ? "" : " " + name))
      << "\" render=\"true\"/>\n";
  }
  q << "  </categories>\n  <symbols>\n";
  for (int l = 0; l < n; ++l) {
    q << "   <symbol type=\"fill\" name=\"" << l
      << "\" alpha=\"0.55\" clip_to_extent=\"1\" "
         "force_rhr=\"0\">\n"
      << "    <layer class=\"SimpleFill\" enabled=\"1\" pass=\"0\" locked=\"0\">\n"
      << "     <prop k=\"color\" v=\"" << rgb(st.colours[l]) << ",255\"/>\n"
      << "     <prop k=\"outline_color\" v=\"35,35,35,255\"/>\n"
      << "     <prop k=\"outline_width\" v=\"0.5\"/>\n"
      << "     <prop k=\"outline_width_unit\" v=\"MM\"/>\n"
      << "     <prop k=\"style\" v=\"solid\"/>\n"
      << "    </layer>\n   </symbol>\n";
  }
  q << "  </symbols>\n </renderer-v2>\n"
    << " <labeling type=\"simple\">\n  <settings calloutType=\"simple\">\n"
    << "   <text-style fieldName=\"name\" isExpression=\"0\" fontSize=\"10\" "
       "fontWeight=\"75\" textColor=\"20,20,20,255\" fontFamily=\"Sans Serif\"/>\n"
    << "   <text-buffer bufferDraw=\"1\" bufferSize=\"1\" bufferSizeUnits=\"MM\" "
       "bufferColor=\"255,255,255,255\"/>\n"
    << "   <placement placement=\"0\" centroidInside=\"1\" centroidWhole=\"1\"/>\n"
    << "   <rendering obstacle=\"1\" fontLimitPixelSize=\"0\" drawLabels=\"1\"/>\n"
    << "  </settings>\n </labeling>\n</qgis>\n";
  return q.str();
}

std::string zone_style_sld(const ZoneStyle& st) {
  const int n = static_cast<int>(st.colours.size());
  std::ostringstream s;
  s << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    << "<StyledLayerDescriptor xmlns=\"http://www.opengis.net/sld\" "
       "xmlns:ogc=\"http://www.opengis.net/ogc\" version=\"1.1.0\">\n"
    << " <NamedLayer><Name>" << st.layer << "</Name><UserStyle><FeatureTypeStyle>\n";
  for (int l = 0; l < n; ++l)
    s << "  <Rule><Name>" << l + 1 << "</Name><ogc:Filter><ogc:PropertyIsEqualTo>"
      << "<ogc:PropertyName>" << st.attr << "</ogc:PropertyName><ogc:Literal>" << l + 1
      << "</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter><PolygonSymbolizer><Fill>"
      << "<SvgParameter name=\"fill\">" << lot_hex(st.colours[l])
      << "</SvgParameter><SvgParameter name=\"fill-opacity\">0.55</SvgParameter></Fill>"
      << "</PolygonSymbolizer></Rule>\n";
  s << " </FeatureTypeStyle></UserStyle></NamedLayer>\n</StyledLayerDescriptor>\n";
  return s.str();
}

}  // namespace lotwright::geo
