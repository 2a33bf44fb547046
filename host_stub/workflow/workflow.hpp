#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "../plugins/plugin_set.hpp"
#include "graph.hpp"
#include "workflow_file.hpp"

namespace nb::host {

struct NodeDestroyer {
    void operator()(const nb_node_t *node) const { node->destroy(node); }
};
// Must be destroyed before the PluginLibrary that made it.
using NodeInstance = std::unique_ptr<const nb_node_t, NodeDestroyer>;

// "node \"ID\" (TYPE)": how messages name a node.
std::string node_label(const std::string &id, const std::string &type);

struct WorkflowNode {
    std::string id;
    const NodeType *type;
    NodeInstance instance;
    // The ABI forbids two concurrent execute calls on one instance.
    std::unique_ptr<std::mutex> execute_lock = std::make_unique<std::mutex>();

    bool is_event_source() const { return type->descriptor->flags & NB_NODE_EVENT_SOURCE; }
    std::string label() const { return node_label(id, type->descriptor->id); }
};

struct WorkflowEdge {
    NodeIndex from;
    std::string from_socket;
    NodeIndex to;
    std::string to_socket;
};

// A validated workflow with one configured instance per node, none started.
struct Workflow {
    std::string name;
    std::vector<WorkflowNode> nodes;
    std::vector<WorkflowEdge> edges;
    std::vector<std::vector<NodeIndex>> runs_from;  // per node: what a run it starts executes

    // Index of the node owning `instance`, or nodes.size().
    NodeIndex index_of(const nb_node_t *instance) const;
    const WorkflowEdge *edge_into(NodeIndex node, const std::string &socket) const;
};

// Checks `spec` against the plugins and configures an instance per node through
// set_widget, with `host` as their host (it must outlive them). Throws
// WorkflowError for the first problem: unknown or ambiguous node type,
// duplicate node id, unknown widget, widget value of the wrong JSON type or
// refused by the node, unknown node or socket on an edge, type mismatch, an
// input fed twice, a cycle, a node no event source reaches, an input of a
// node left unconnected.
Workflow build_workflow(const WorkflowSpec &spec, const PluginSet &plugins, const nb_host_t &host);

}  // namespace nb::host
