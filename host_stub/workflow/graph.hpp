#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace nb::host {

using NodeIndex = std::size_t;
using Link = std::pair<NodeIndex, NodeIndex>;  // from -> to

struct TopologicalOrder {
    std::vector<NodeIndex> order;  // every node, each after all its predecessors
    std::vector<NodeIndex> cycle;  // when there is one: a, b, ..., a; order is then empty
};

// Kahn's algorithm, lowest index first among ready nodes so the order is stable.
TopologicalOrder topological_order(std::size_t node_count, const std::vector<Link> &links);

// `source` and every node reachable from it, in the order of `order`.
std::vector<NodeIndex> downstream(const std::vector<NodeIndex> &order,
                                  const std::vector<Link> &links, NodeIndex source);

}  // namespace nb::host
