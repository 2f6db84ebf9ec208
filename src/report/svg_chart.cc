#include "lockstep/report/svg_chart.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "lockstep/report/escape.h"

namespace lockstep {

namespace {

constexpr const char* kFont = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif\"";
constexpr const char* kBarColour = "#3b6ea8";
constexpr std::array<const char*, 8> kPalette = {"#3b6ea8", "#d9822b", "#3a9a5b", "#c2414b",
                                                 "#7d5ba6", "#8c6d46", "#d36ba6", "#6b7a8f"};

std::string Open(int width, int height, const std::string& title) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" "
      "role=\"img\" {2}><title>{3}</title>\n",
      width, height, kFont, HtmlEscape(title));
}

std::string Number(double v) {
  if (std::fabs(v - std::round(v)) < 1e-9) return fmt::format("{}", static_cast<int64_t>(std::llround(v)));
  return fmt::format("{:.2f}", v);
}

// Width of a label in px at 12 px, roughly.
double LabelWidth(const std::string& s) {
  size_t code_points = 0;
  for (unsigned char c : s) code_points += (c & 0xC0) != 0x80;
  return 7.0 * static_cast<double>(code_points);
}

}  // namespace

std::string SvgBarChart(const std::vector<ChartBar>& bars, const std::string& title, int width) {
  const int row = 22, label_w = 190, value_w = 90;
  const int height = std::max<int>(row, static_cast<int>(bars.size()) * row) + 6;
  std::string out = Open(width, height, title);
  double max = 0;
  for (const ChartBar& b : bars) max = std::max(max, b.value);
  const double plot = width - label_w - value_w;
  for (size_t i = 0; i < bars.size(); ++i) {
    const ChartBar& b = bars[i];
    const int y = static_cast<int>(i) * row + 3;
    const double len = max > 0 ? std::max(0.0, b.value) / max * plot : 0;
    const std::string value = b.value_label.empty() ? Number(b.value) : b.value_label;
    fmt::format_to(std::back_inserter(out),
                   "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\" fill=\"#333\">{}</text>"
                   "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title></rect>"
                   "<text x=\"{:.1f}\" y=\"{}\" font-size=\"12\" fill=\"#333\">{}</text>\n",
                   label_w - 8, y + 15, HtmlEscape(Truncate(b.label, 32)), label_w, y + 2, std::max(len, 1.0), row - 6,
                   kBarColour, HtmlEscape(b.label), HtmlEscape(value), label_w + std::max(len, 1.0) + 6, y + 15,
                   HtmlEscape(value));
  }
  if (bars.empty())
    fmt::format_to(std::back_inserter(out), "<text x=\"0\" y=\"16\" font-size=\"12\" fill=\"#777\">no data</text>\n");
  out += "</svg>";
  return out;
}

std::string SvgColumnChart(const std::vector<ChartBar>& columns, const std::string& title, int width, int height) {
  const int left = 56, right = 10, top = 10, bottom = 34;
  std::string out = Open(width, height, title);
  double max = 0;
  for (const ChartBar& c : columns) max = std::max(max, c.value);
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  const size_t n = std::max<size_t>(columns.size(), 1);
  const double step = plot_w / static_cast<double>(n);
  double widest = 0;
  for (const ChartBar& c : columns) widest = std::max(widest, LabelWidth(c.label));
  const size_t every = std::max<size_t>(1, static_cast<size_t>(std::ceil((widest + 8) / step)));
  // Axis and the maximum.
  fmt::format_to(std::back_inserter(out),
                 "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#999\"/>"
                 "<line x1=\"{0}\" y1=\"{2}\" x2=\"{3}\" y2=\"{2}\" stroke=\"#999\"/>"
                 "<text x=\"{4}\" y=\"{5}\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">{6}</text>"
                 "<text x=\"{4}\" y=\"{2}\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">0</text>\n",
                 left, top, top + plot_h, width - right, left - 6, top + 10, Number(max));
  for (size_t i = 0; i < columns.size(); ++i) {
    const ChartBar& c = columns[i];
    const double h = max > 0 ? std::max(0.0, c.value) / max * plot_h : 0;
    const double x = left + step * static_cast<double>(i);
    const std::string value = c.value_label.empty() ? Number(c.value) : c.value_label;
    fmt::format_to(std::back_inserter(out),
                   "<rect class=\"bar\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\">"
                   "<title>{}: {}</title></rect>\n",
                   x + step * 0.1, top + plot_h - h, std::max(step * 0.8, 0.5), h, kBarColour, HtmlEscape(c.label),
                   HtmlEscape(value));
    if (i % every == 0)
      fmt::format_to(std::back_inserter(out),
                     "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">{}</text>\n",
                     x + step / 2, top + plot_h + 16, HtmlEscape(Truncate(c.label, 12)));
  }
  out += "</svg>";
  return out;
}

std::string SvgWeekHourHeatmap(const std::array<std::array<uint64_t, 24>, 7>& counts, const std::string& title,
                               const std::string& time_zone) {
  static constexpr std::array<const char*, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  const int left = 44, top = 22, cell_w = 32, cell_h = 24, margin_w = 90, hour_bar_h = 50;
  const int width = left + 24 * cell_w + 10 + margin_w, height = top + 7 * cell_h + 10 + hour_bar_h + 34;
  std::string out = Open(width, height, title);
  uint64_t max = 0;
  std::array<uint64_t, 24> by_hour{};
  std::array<uint64_t, 7> by_day{};
  for (int d = 0; d < 7; ++d)
    for (int h = 0; h < 24; ++h) {
      max = std::max(max, counts[d][h]);
      by_hour[h] += counts[d][h];
      by_day[d] += counts[d][h];
    }
  for (int h = 0; h < 24; ++h)
    fmt::format_to(std::back_inserter(out),
                   "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">{:02}</text>", left +
                   h * cell_w + cell_w / 2, top - 7, h);
  out += "\n";
  for (int d = 0; d < 7; ++d) {
    fmt::format_to(std::back_inserter(out), "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\" fill=\"#333\">{}</text>",
                   left - 6, top + d * cell_h + 16, kDays[d]);
    for (int h = 0; h < 24; ++h) {
      const double f = max > 0 ? static_cast<double>(counts[d][h]) / static_cast<double>(max) : 0;
      // From #f4f6f9 (none) to #12355b (most).
      const int r = static_cast<int>(std::lround(0xf4 + (0x12 - 0xf4) * f));
      const int g = static_cast<int>(std::lround(0xf6 + (0x35 - 0xf6) * f));
      const int b = static_cast<int>(std::lround(0xf9 + (0x5b - 0xf9) * f));
      fmt::format_to(std::back_inserter(out),
                     "<rect class=\"cell\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#{:02x}{:02x}{:02x}\" "
                     "stroke=\"#fff\"><title>{} {:02}:00 {}: {}</title></rect>",
                     left + h * cell_w, top + d * cell_h, cell_w, cell_h, r, g, b, kDays[d], h, HtmlEscape(time_zone),
                     counts[d][h]);
    }
    out += "\n";
  }
  // Totals by weekday on the right, by hour below.
  const uint64_t day_max = *std::max_element(by_day.begin(), by_day.end());
  const uint64_t hour_max = *std::max_element(by_hour.begin(), by_hour.end());
  const int mx = left + 24 * cell_w + 10;
  for (int d = 0; d < 7; ++d) {
    const double len = day_max > 0 ? static_cast<double>(by_day[d]) / static_cast<double>(day_max) * (margin_w - 10) : 0;
    fmt::format_to(std::back_inserter(out),
                   "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title></rect>",
                   mx, top + d * cell_h + 4, len, cell_h - 8, kBarColour, kDays[d], by_day[d]);
  }
  const int hy = top + 7 * cell_h + 10;
  for (int h = 0; h < 24; ++h) {
    const double len = hour_max > 0 ? static_cast<double>(by_hour[h]) / static_cast<double>(hour_max) * hour_bar_h : 0;
    fmt::format_to(std::back_inserter(out),
                   "<rect class=\"bar\" x=\"{}\" y=\"{:.1f}\" width=\"{}\" height=\"{:.1f}\" fill=\"{}\"><title>{:02}:00: {}</title></rect>",
                   left + h * cell_w + 3, hy + hour_bar_h - len, cell_w - 6, len, kBarColour, h, by_hour[h]);
  }
  fmt::format_to(std::back_inserter(out),
                 "\n<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#555\">local hour, {}; darker = more events; "
                 "bars: totals by hour and by weekday</text>\n",
                 left, hy + hour_bar_h + 22, HtmlEscape(time_zone));
  out += "</svg>";
  return out;
}

std::string SvgNetworkDrawing(const std::vector<GraphDrawingNode>& nodes, const std::vector<GraphDrawingEdge>& edges,
                              const std::string& title, int width, int height) {
  const size_t n = nodes.size();
  const int legend_h = 26;
  std::string out = Open(width, height + legend_h, title);
  std::vector<double> x(n), y(n);
  const double pi = 3.14159265358979323846;
  for (size_t i = 0; i < n; ++i) {
    x[i] = std::cos(2 * pi * static_cast<double>(i) / static_cast<double>(std::max<size_t>(n, 1)));
    y[i] = std::sin(2 * pi * static_cast<double>(i) / static_cast<double>(std::max<size_t>(n, 1)));
  }
  if (n > 1) {
    // Fruchterman–Reingold on the unit square scaled by sqrt(n).
    const double area = 4.0, k = std::sqrt(area / static_cast<double>(n));
    double max_w = 0;
    for (const GraphDrawingEdge& e : edges) max_w = std::max(max_w, e.weight);
    const int iterations = 150;
    std::vector<double> dx(n), dy(n);
    for (int it = 0; it < iterations; ++it) {
      const double temperature = 0.2 * (1.0 - static_cast<double>(it) / iterations) + 0.002;
      std::fill(dx.begin(), dx.end(), 0.0);
      std::fill(dy.begin(), dy.end(), 0.0);
      for (size_t i = 0; i < n; ++i)
        for (size_t j = i + 1; j < n; ++j) {
          double ddx = x[i] - x[j], ddy = y[i] - y[j];
          double d2 = ddx * ddx + ddy * ddy;
          if (d2 < 1e-12) {  // coincident: separate deterministically
            ddx = 1e-3 * static_cast<double>((i % 7) + 1);
            ddy = 1e-3 * static_cast<double>((j % 5) + 1);
            d2 = ddx * ddx + ddy * ddy;
          }
          const double f = k * k / d2;  // repulsion k^2/d, along the unit vector
          dx[i] += ddx * f, dy[i] += ddy * f;
          dx[j] -= ddx * f, dy[j] -= ddy * f;
        }
      for (const GraphDrawingEdge& e : edges) {
        if (e.a >= n || e.b >= n || e.a == e.b) continue;
        const double ddx = x[e.a] - x[e.b], ddy = y[e.a] - y[e.b];
        const double d = std::sqrt(ddx * ddx + ddy * ddy);
        const double w = max_w > 0 ? 0.3 + 0.7 * e.weight / max_w : 1;
        const double f = w * d / k;  // attraction d^2/k, along the unit vector
        dx[e.a] -= ddx * f, dy[e.a] -= ddy * f;
        dx[e.b] += ddx * f, dy[e.b] += ddy * f;
      }
      for (size_t i = 0; i < n; ++i) {
        // Gravity keeps components from drifting apart.
        dx[i] -= 0.05 * x[i] * static_cast<double>(n) * k;
        dy[i] -= 0.05 * y[i] * static_cast<double>(n) * k;
        const double d = std::sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
        if (d > 0) {
          x[i] += dx[i] / d * std::min(d, temperature);
          y[i] += dy[i] / d * std::min(d, temperature);
        }
      }
    }
  }
  double min_x = 0, max_x = 0, min_y = 0, max_y = 0;
  for (size_t i = 0; i < n; ++i) {
    min_x = i == 0 ? x[i] : std::min(min_x, x[i]), max_x = i == 0 ? x[i] : std::max(max_x, x[i]);
    min_y = i == 0 ? y[i] : std::min(min_y, y[i]), max_y = i == 0 ? y[i] : std::max(max_y, y[i]);
  }
  const double pad = 16;
  auto px = [&](size_t i) {
    return max_x > min_x ? pad + (x[i] - min_x) / (max_x - min_x) * (width - 2 * pad) : width / 2.0;
  };
  auto py = [&](size_t i) {
    return max_y > min_y ? pad + (y[i] - min_y) / (max_y - min_y) * (height - 2 * pad) : height / 2.0;
  };
  double max_w = 0;
  for (const GraphDrawingEdge& e : edges) max_w = std::max(max_w, e.weight);
  out += "<g class=\"edges\" stroke=\"#8a96a3\">\n";
  for (const GraphDrawingEdge& e : edges) {
    if (e.a >= n || e.b >= n) continue;
    const double opacity = max_w > 0 ? 0.15 + 0.55 * e.weight / max_w : 0.4;
    fmt::format_to(std::back_inserter(out),
                   "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke-opacity=\"{:.2f}\"/>\n", px(e.a),
                   py(e.a), px(e.b), py(e.b), opacity);
  }
  out += "</g>\n<g class=\"nodes\" stroke=\"#fff\" stroke-width=\"1\">\n";
  std::vector<std::string> groups;
  for (size_t i = 0; i < n; ++i) {
    auto it = std::find(groups.begin(), groups.end(), nodes[i].group);
    if (it == groups.end()) it = groups.insert(groups.end(), nodes[i].group);
    const size_t colour = static_cast<size_t>(it - groups.begin()) % kPalette.size();
    fmt::format_to(std::back_inserter(out),
                   "<circle class=\"node\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{:.1f}\" fill=\"{}\"><title>{}</title></circle>\n",
                   px(i), py(i), 3 + 6 * std::clamp(nodes[i].size, 0.0, 1.0), kPalette[colour],
                   HtmlEscape(nodes[i].label));
  }
  out += "</g>\n";
  double lx = 4;
  for (size_t g = 0; g < groups.size(); ++g) {
    fmt::format_to(std::back_inserter(out),
                   "<circle cx=\"{:.1f}\" cy=\"{}\" r=\"6\" fill=\"{}\"/><text x=\"{:.1f}\" y=\"{}\" font-size=\"12\" "
                   "fill=\"#333\">{}</text>\n",
                   lx + 6, height + 13, kPalette[g % kPalette.size()], lx + 16, height + 17,
                   HtmlEscape(Truncate(groups[g], 30)));
    lx += 30 + LabelWidth(Truncate(groups[g], 30));
  }
  out += "</svg>";
  return out;
}

}  // namespace lockstep
