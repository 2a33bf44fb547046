#include "graph.hpp"

#include <algorithm>
#include <functional>
#include <queue>
#include <tuple>

namespace nb::host {
namespace {

std::vector<std::vector<NodeIndex>> successors(std::size_t node_count,
                                               const std::vector<Link> &links) {
    std::vector<std::vector<NodeIndex>> next(node_count);
    for (const auto &[from, to] : links) next[from].push_back(to);
    return next;
}

// Depth-first search restricted to `candidates` (nodes Kahn could not order):
// every such node lies on or leads to a cycle, so one is always found.
std::vector<NodeIndex> find_cycle(const std::vector<std::vector<NodeIndex>> &next,
                                  const std::vector<bool> &candidates) {
    enum class Mark { none, active, done };
    std::vector<Mark> mark(next.size(), Mark::none);
    std::vector<NodeIndex> path;
    std::vector<NodeIndex> cycle;
    std::function<bool(NodeIndex)> visit = [&](NodeIndex n) {
        mark[n] = Mark::active;
        path.push_back(n);
        for (NodeIndex m : next[n]) {
            if (!candidates[m] || mark[m] == Mark::done) continue;
            if (mark[m] == Mark::active) {
                cycle.assign(std::find(path.begin(), path.end(), m), path.end());
                cycle.push_back(m);
                return true;
            }
            if (visit(m)) return true;
        }
        path.pop_back();
        mark[n] = Mark::done;
        return false;
    };
    for (NodeIndex n = 0; n < next.size(); ++n) {
        if (candidates[n] && mark[n] == Mark::none && visit(n)) break;
    }
    return cycle;
}

}  // namespace

TopologicalOrder topological_order(const std::vector<std::string> &ids, const std::vector<Link> &links) {
    const std::size_t node_count = ids.size();
    const auto next = successors(node_count, links);
    std::vector<std::size_t> incoming(node_count, 0);
    for (const auto &link : links) ++incoming[link.second];
    // A min-heap on (id, index): the index only orders equal ids, which a
    // validated workflow does not have.
    const auto later = [&](NodeIndex a, NodeIndex b) { return std::tie(ids[a], a) > std::tie(ids[b], b); };
    std::priority_queue<NodeIndex, std::vector<NodeIndex>, decltype(later)> ready(later);
    for (NodeIndex n = 0; n < node_count; ++n) {
        if (incoming[n] == 0) ready.push(n);
    }
    TopologicalOrder result;
    while (!ready.empty()) {
        const NodeIndex n = ready.top();
        ready.pop();
        result.order.push_back(n);
        for (NodeIndex m : next[n]) {
            if (--incoming[m] == 0) ready.push(m);
        }
    }
    if (result.order.size() != node_count) {
        std::vector<bool> unordered(node_count, false);
        for (NodeIndex n = 0; n < node_count; ++n) unordered[n] = incoming[n] > 0;
        result.cycle = find_cycle(next, unordered);
        result.order.clear();
    }
    return result;
}

std::vector<NodeIndex> downstream(const std::vector<NodeIndex> &order,
                                  const std::vector<Link> &links, NodeIndex source) {
    std::vector<bool> reached(order.size(), false);
    reached[source] = true;
    std::vector<NodeIndex> result;
    // In topological order every predecessor is decided before its successors.
    for (NodeIndex n : order) {
        if (!reached[n]) continue;
        result.push_back(n);
        for (const auto &[from, to] : links) {
            if (from == n) reached[to] = true;
        }
    }
    return result;
}

}  // namespace nb::host
