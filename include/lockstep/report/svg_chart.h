// SVG charts the report draws itself: no script, no external font, no
// network access. Each function returns one <svg> element with a viewBox,
// a <title> for screen readers, and every label HTML-escaped (labels are
// data: domains, hashtags). Output is a deterministic function of the input.
#ifndef LOCKSTEP_REPORT_SVG_CHART_H_
#define LOCKSTEP_REPORT_SVG_CHART_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace lockstep {

struct ChartBar {
  std::string label;        // shown as is (escaped), cut to 32 characters
  double value = 0;         // bar length; negative is drawn as 0
  std::string value_label;  // text after the bar; "" = the value as an integer
};

// Horizontal bars, one row of 22 px per bar; `width` in px.
std::string SvgBarChart(const std::vector<ChartBar>& bars, const std::string& title, int width = 560);

// Vertical columns over an ordered axis (months, years, hours): labels are
// thinned to fit; `width` and `height` in px.
std::string SvgColumnChart(const std::vector<ChartBar>& columns, const std::string& title, int width = 1000,
                           int height = 220);

// Weekday x hour heatmap (Monday first, hours 0..23), with marginal totals.
std::string SvgWeekHourHeatmap(const std::array<std::array<uint64_t, 24>, 7>& counts, const std::string& title,
                               const std::string& time_zone);

struct GraphDrawingNode {
  std::string label;   // tooltip (<title>), escaped
  std::string group;   // legend group, e.g. "facebook page"; colour by order of first appearance
  double size = 1;     // 0..1, radius 3..9 px
};

// A deterministic Fruchterman–Reingold layout (Fruchterman & Reingold 1991,
// "Graph drawing by force-directed placement"), started from a circle, fixed
// iteration count, no randomness. O(iterations x n^2); callers keep n at a
// few hundred. Edges are (index, index, weight).
struct GraphDrawingEdge {
  uint32_t a, b;
  double weight;
};
std::string SvgNetworkDrawing(const std::vector<GraphDrawingNode>& nodes, const std::vector<GraphDrawingEdge>& edges,
                              const std::string& title, int width = 900, int height = 560);

}  // namespace lockstep

#endif  // LOCKSTEP_REPORT_SVG_CHART_H_
