#include "lockstep/report/graph_writer.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>

#include <fmt/format.h>

#include "lockstep/report/escape.h"

namespace lockstep {

namespace {

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::set<std::string> AttributeNames(const GraphToWrite& g) {
  std::set<std::string> names;
  for (const GraphNode& n : g.nodes)
    for (const auto& [k, v] : n.attributes) names.insert(k);
  return names;
}

}  // namespace

GraphFormat GraphFormatFromPath(const std::string& path) {
  if (EndsWith(path, ".gexf")) return GraphFormat::kGexf;
  if (EndsWith(path, ".graphml")) return GraphFormat::kGraphMl;
  return GraphFormat::kCsv;
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters even escaped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') out += ' ';
        else out += c;
    }
  }
  return out;
}

Status WriteGraph(const GraphToWrite& g, const std::string& path, const std::string& weight_column) {
  std::FILE* f = path == "-" ? stdout : std::fopen(path.c_str(), "w");
  if (f == nullptr) return Status::IoError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  std::string out;
  const GraphFormat format = GraphFormatFromPath(path);
  const std::set<std::string> attrs = AttributeNames(g);
  auto flush = [&] {
    std::fwrite(out.data(), 1, out.size(), f);
    out.clear();
  };
  if (format == GraphFormat::kCsv) {
    out += "account_a,account_b," + weight_column + "\n";
    for (const GraphEdge& e : g.edges) {
      fmt::format_to(std::back_inserter(out), "{},{},{}\n", CsvField(g.nodes[e.source].id),
                     CsvField(g.nodes[e.target].id), e.weight);
      if (out.size() > (1 << 20)) flush();
    }
  } else if (format == GraphFormat::kGexf) {
    out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n";
    fmt::format_to(std::back_inserter(out), "  <graph defaultedgetype=\"{}\">\n",
                   g.directed ? "directed" : "undirected");
    out += "    <attributes class=\"node\">\n";
    int i = 0;
    for (const std::string& a : attrs)
      fmt::format_to(std::back_inserter(out), "      <attribute id=\"{}\" title=\"{}\" type=\"string\"/>\n", i++,
                     XmlEscape(a));
    out += "    </attributes>\n    <nodes>\n";
    for (size_t n = 0; n < g.nodes.size(); ++n) {
      fmt::format_to(std::back_inserter(out), "      <node id=\"{}\" label=\"{}\">", n, XmlEscape(g.nodes[n].id));
      if (!g.nodes[n].attributes.empty()) {
        out += "<attvalues>";
        int a = 0;
        for (const std::string& name : attrs) {
          auto it = g.nodes[n].attributes.find(name);
          if (it != g.nodes[n].attributes.end())
            fmt::format_to(std::back_inserter(out), "<attvalue for=\"{}\" value=\"{}\"/>", a, XmlEscape(it->second));
          ++a;
        }
        out += "</attvalues>";
      }
      out += "</node>\n";
      if (out.size() > (1 << 20)) flush();
    }
    out += "    </nodes>\n    <edges>\n";
    for (size_t e = 0; e < g.edges.size(); ++e) {
      fmt::format_to(std::back_inserter(out), "      <edge id=\"{}\" source=\"{}\" target=\"{}\" weight=\"{}\"/>\n", e,
                     g.edges[e].source, g.edges[e].target, g.edges[e].weight);
      if (out.size() > (1 << 20)) flush();
    }
    out += "    </edges>\n  </graph>\n</gexf>\n";
  } else {
    out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
           "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
           "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n";
    int i = 0;
    for (const std::string& a : attrs)
      fmt::format_to(std::back_inserter(out), "  <key id=\"a{}\" for=\"node\" attr.name=\"{}\" attr.type=\"string\"/>\n",
                     i++, XmlEscape(a));
    fmt::format_to(std::back_inserter(out), "  <graph edgedefault=\"{}\">\n", g.directed ? "directed" : "undirected");
    for (size_t n = 0; n < g.nodes.size(); ++n) {
      fmt::format_to(std::back_inserter(out), "    <node id=\"n{}\"><data key=\"label\">{}</data>", n,
                     XmlEscape(g.nodes[n].id));
      int a = 0;
      for (const std::string& name : attrs) {
        auto it = g.nodes[n].attributes.find(name);
        if (it != g.nodes[n].attributes.end())
          fmt::format_to(std::back_inserter(out), "<data key=\"a{}\">{}</data>", a, XmlEscape(it->second));
        ++a;
      }
      out += "</node>\n";
      if (out.size() > (1 << 20)) flush();
    }
    for (const GraphEdge& e : g.edges) {
      fmt::format_to(std::back_inserter(out),
                     "    <edge source=\"n{}\" target=\"n{}\"><data key=\"weight\">{}</data></edge>\n", e.source,
                     e.target, e.weight);
      if (out.size() > (1 << 20)) flush();
    }
    out += "  </graph>\n</graphml>\n";
  }
  flush();
  const bool ok = std::ferror(f) == 0;
  if (f != stdout && std::fclose(f) != 0) return Status::IoError(fmt::format("{}: write failed", path));
  if (!ok) return Status::IoError(fmt::format("{}: write failed", path));
  return Status::Ok();
}

}  // namespace lockstep
