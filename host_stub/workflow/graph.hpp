#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace nb::host {

using NodeIndex = std::size_t;
using Link = std::pair<NodeIndex, NodeIndex>;  // from -> to

struct TopologicalOrder {
    std::vector<NodeIndex> order;  // every node, each after all its predecessors
    std::vector<NodeIndex> cycle;  // when there is one: a, b, ..., a; order is then empty
};

// Kahn's algorithm over nodes 0..ids.size()-1. Among ready nodes the lowest
// id (string order) goes first, so the order depends on the graph and its ids,
// never on where the nodes stand in the workflow file.
TopologicalOrder topological_order(const std::vector<std::string> &ids, const std::vector<Link> &links);

// `source` and every node reachable from it, in the order of `order`.
std::vector<NodeIndex> downstream(const std::vector<NodeIndex> &order,
                                  const std::vector<Link> &links, NodeIndex source);

}  // namespace nb::host
