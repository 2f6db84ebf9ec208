// Writers for account graphs: CSV edge lists and the GEXF and GraphML
// formats that Gephi and igraph load. Node and edge attributes are
// optional; every string is XML-escaped.
#ifndef LOCKSTEP_REPORT_GRAPH_WRITER_H_
#define LOCKSTEP_REPORT_GRAPH_WRITER_H_

#include <map>
#include <string>
#include <vector>

#include "lockstep/model/status.h"

namespace lockstep {

struct GraphNode {
  std::string id;                               // account id
  std::map<std::string, std::string> attributes;  // e.g. network, platform, kind, score
};

struct GraphEdge {
  size_t source;   // index into nodes
  size_t target;
  double weight;
};

struct GraphToWrite {
  bool directed = false;
  std::vector<GraphNode> nodes;
  std::vector<GraphEdge> edges;
};

enum class GraphFormat { kCsv, kGexf, kGraphMl };

// By extension: .gexf, .graphml, anything else CSV.
GraphFormat GraphFormatFromPath(const std::string& path);

// CSV: account_a,account_b,<weight_column>. GEXF 1.3 and GraphML with the
// node attributes declared as strings and the weight as a double.
Status WriteGraph(const GraphToWrite& graph, const std::string& path, const std::string& weight_column = "weight");

// XML-escapes &, <, >, " and '.
std::string XmlEscape(std::string_view s);

}  // namespace lockstep

#endif  // LOCKSTEP_REPORT_GRAPH_WRITER_H_
