#include "graph_run.hpp"

#include <cstring>
#include <map>
#include <optional>
#include <vector>

namespace nb::host {
namespace {

using Outputs = std::map<std::string, std::string, std::less<>>;

struct RunState {
    const Workflow &wf;
    std::vector<Outputs> outputs;  // per node
};

// What run_data points at while one node executes.
struct NodeRun {
    RunState &state;
    NodeIndex node;
};

// [worker-thread] Called by the plugin inside execute. NULL arguments are a
// plugin's bug and must not crash the host: false, nothing written, as
// include/nb/run.h says.
bool get_input(const nb_run_t *run, const char *socket, const char **data, size_t *len) noexcept {
    if (!run || !run->run_data || !socket || !data || !len) return false;
    const auto &self = *static_cast<const NodeRun *>(run->run_data);
    try {
        const WorkflowEdge *edge = self.state.wf.edge_into(self.node, socket);
        if (!edge) return false;
        const Outputs &from = self.state.outputs[edge->from];
        const auto it = from.find(edge->from_socket);
        if (it == from.end()) return false;
        *data = it->second.data();
        *len = it->second.size();
        return true;
    } catch (...) {
        return false;
    }
}

// [worker-thread] Called by the plugin inside execute. NULL arguments are a
// plugin's bug and must not crash the host: NB_ERR_INVALID, the output as it
// was, except NULL data of length 0, an empty value (include/nb/run.h).
nb_status_t set_output(const nb_run_t *run, const char *socket, const char *data, size_t len) noexcept {
    if (!run || !run->run_data || !socket || (!data && len > 0)) return NB_ERR_INVALID;
    const auto &self = *static_cast<const NodeRun *>(run->run_data);
    const nb_node_descriptor_t &d = *self.state.wf.nodes[self.node].type->descriptor;
    bool known = false;
    for (uint32_t i = 0; i < d.output_count; ++i) known = known || std::strcmp(d.outputs[i].name, socket) == 0;
    if (!known) return NB_ERR_UNKNOWN;
    try {
        std::string &value = self.state.outputs[self.node][socket];
        if (len == 0) {
            value.clear();
        } else {
            value.assign(data, len);
        }
        return NB_OK;
    } catch (...) {
        return NB_ERR_INTERNAL;
    }
}

// [worker-thread] One node's execute: nullopt when it succeeded, else why it
// failed. The ABI forbids an exception out of execute; one that escapes all
// the same is that plugin's bug and fails that node, never the host.
std::optional<std::string> execute_node(const WorkflowNode &node, const nb_run_t &run,
                                        const RunContext &context) {
    std::lock_guard lock(*node.execute_lock);
    const ExecutingRun executing(run, context, node);
    const auto plugin_bug = [&](const char *what) {
        return node.label() + " threw a C++ exception out of execute (a plugin bug): " + what;
    };
    try {
        if (node.instance->execute(node.instance.get(), &run) == NB_OK) return std::nullopt;
    } catch (const std::exception &e) {
        return plugin_bug(e.what());
    } catch (...) {
        return plugin_bug("not a std::exception");
    }
    // A plugin may leave last_error NULL: the failure is still this node's.
    const char *why = node.instance->last_error(node.instance.get());
    return why ? why : "execute failed without a message";
}

// [worker-thread] Why node `n`, whose execute succeeded, failed all the same:
// an edge reads an output it did not write. Said here, not by the node that
// would find its input empty.
std::optional<std::string> unwritten_output(const RunState &state, NodeIndex n) {
    for (const WorkflowEdge &edge : state.wf.edges) {
        if (edge.from == n && state.outputs[n].count(edge.from_socket) == 0) {
            return state.wf.nodes[n].label() + " wrote no value to output \"" + edge.from_socket + "\"";
        }
    }
    return std::nullopt;
}

}  // namespace

RunOutcome execute_run(const Workflow &wf, NodeIndex source, const nb_event_t *event,
                       std::uint64_t run_id, const RunContext &context) noexcept {
    try {
        RunState state{wf, std::vector<Outputs>(wf.nodes.size())};
        RunOutcome outcome;
        // Set on the successors of a node that failed or was skipped: runs_from
        // is in topological order, so a node's mark is final when it comes up.
        std::vector<bool> blocked(wf.nodes.size(), false);
        const auto block_successors = [&](NodeIndex n) {
            for (const WorkflowEdge &edge : wf.edges) {
                if (edge.from == n) blocked[edge.to] = true;
            }
        };
        // One handle per node, each at its own address for the whole run:
        // set_reply knows the executing handle by address, so a handle saved
        // by an earlier node must not share one with a later node's.
        std::vector<nb_run_t> handles;
        handles.reserve(wf.runs_from[source].size());
        for (NodeIndex n : wf.runs_from[source]) {
            if (blocked[n]) {
                ++outcome.skipped;
                block_successors(n);
                continue;
            }
            NodeRun self{state, n};
            const nb_run_t &run = handles.emplace_back(
                nb_run_t{NB_VERSION_INIT, &self, run_id, n == source ? event : nullptr, get_input, set_output});
            std::optional<std::string> failure = execute_node(wf.nodes[n], run, context);
            if (!failure) failure = unwritten_output(state, n);
            if (failure) {
                if (outcome.ok) {
                    outcome.ok = false;
                    outcome.failed_node = n;
                    outcome.message = std::move(*failure);
                }
                ++outcome.failed_count;
                block_successors(n);
            }
        }
        return outcome;
    } catch (const std::exception &e) {
        RunOutcome failed;
        failed.ok = false;
        failed.failed_node = source;
        failed.message = std::string("host error: ") + e.what();
        failed.failed_count = 1;
        return failed;
    }
}

}  // namespace nb::host
