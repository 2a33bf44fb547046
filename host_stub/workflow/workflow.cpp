#include "workflow.hpp"

#include <algorithm>
#include <cstring>

#include "json_text.hpp"

namespace nb::host {
namespace {

[[noreturn]] void refuse(const WorkflowSpec &spec, const std::string &what) {
    throw WorkflowError(spec.file + ": " + what);
}

std::string in_quotes(const std::string &text) { return "\"" + text + "\""; }

template <typename Item, typename Name>
std::string list_names(const Item *items, uint32_t count, Name name) {
    std::string out;
    for (uint32_t i = 0; i < count; ++i) {
        if (i) out += ", ";
        out += name(items[i]);
    }
    return out.empty() ? "none" : out;
}

std::string socket_names(const nb_socket_desc_t *sockets, uint32_t count) {
    return list_names(sockets, count, [](const nb_socket_desc_t &s) { return std::string(s.name); });
}

const nb_socket_desc_t *find_socket(const nb_socket_desc_t *sockets, uint32_t count,
                                    const std::string &name) {
    for (uint32_t i = 0; i < count; ++i) {
        if (name == sockets[i].name) return &sockets[i];
    }
    return nullptr;
}

// What a widget accepts, for messages: "an integer from 1024 to 65535".
std::string allowed_values(const nb_widget_desc_t &w) {
    switch (w.kind) {
    case NB_WIDGET_NUMBER:
        return "an integer from " + std::to_string(w.min) + " to " + std::to_string(w.max);
    case NB_WIDGET_CHOICE:
        return "one of " + list_names(w.choices, w.choice_count,
                                      [](const char *c) { return in_quotes(c); });
    case NB_WIDGET_TEXT: return "a string";
    }
    return "nothing";
}

bool json_type_fits(const nb_widget_desc_t &w, WidgetSetting::Json json) {
    return w.kind == NB_WIDGET_NUMBER ? json == WidgetSetting::Json::integer
                                      : json == WidgetSetting::Json::string;
}

void configure(const WorkflowSpec &spec, const NodeSpec &node, const nb_node_t &instance) {
    const nb_node_descriptor_t &d = *instance.descriptor;
    const std::string where = node_label(node.id, node.type);
    for (const WidgetSetting &setting : node.widgets) {
        const nb_widget_desc_t *widget = nullptr;
        for (uint32_t i = 0; i < d.widget_count; ++i) {
            if (setting.name == d.widgets[i].name) widget = &d.widgets[i];
        }
        if (!widget) {
            refuse(spec, where + ": unknown widget " + in_quotes(setting.name) + " (widgets: " +
                             list_names(d.widgets, d.widget_count,
                                        [](const nb_widget_desc_t &w) { return std::string(w.name); }) +
                             ")");
        }
        const std::string about = where + ": widget " + in_quotes(setting.name);
        if (!json_type_fits(*widget, setting.json)) {
            refuse(spec, about + " is " + json_type_name(setting.json) + "; allowed: " +
                             allowed_values(*widget));
        }
        if (instance.set_widget(&instance, setting.name.c_str(), setting.text.c_str()) != NB_OK) {
            const char *why = instance.last_error(&instance);
            refuse(spec, about + " refused " + quoted_value(setting.text) + ": " +
                             (why ? why : "set_widget failed without a message"));
        }
    }
}

void check_edge(const WorkflowSpec &spec, const Workflow &wf, const EdgeSpec &edge,
                WorkflowEdge &resolved) {
    const std::string where = "edge " + in_quotes(edge.text());
    const auto index = [&](const std::string &id) {
        const auto it = std::find_if(wf.nodes.begin(), wf.nodes.end(),
                                     [&](const WorkflowNode &n) { return n.id == id; });
        if (it == wf.nodes.end()) refuse(spec, where + ": unknown node " + in_quotes(id));
        return static_cast<NodeIndex>(it - wf.nodes.begin());
    };
    resolved = {index(edge.from_node), edge.from_socket, index(edge.to_node), edge.to_socket};
    const nb_node_descriptor_t &from = *wf.nodes[resolved.from].type->descriptor;
    const nb_node_descriptor_t &to = *wf.nodes[resolved.to].type->descriptor;
    const auto *out = find_socket(from.outputs, from.output_count, edge.from_socket);
    if (!out) {
        refuse(spec, where + ": " + node_label(edge.from_node, from.id) + " has no output " +
                         in_quotes(edge.from_socket) + " (outputs: " +
                         socket_names(from.outputs, from.output_count) + ")");
    }
    const auto *in = find_socket(to.inputs, to.input_count, edge.to_socket);
    if (!in) {
        refuse(spec, where + ": " + node_label(edge.to_node, to.id) + " has no input " +
                         in_quotes(edge.to_socket) + " (inputs: " +
                         socket_names(to.inputs, to.input_count) + ")");
    }
    if (std::strcmp(out->type, in->type) != 0) {
        refuse(spec, where + ": type mismatch: output is " + out->type + ", input is " + in->type);
    }
    if (const WorkflowEdge *other = wf.edge_into(resolved.to, resolved.to_socket)) {
        refuse(spec, where + ": input " + in_quotes(edge.to_node + "." + edge.to_socket) +
                         " is already fed by " + in_quotes(wf.nodes[other->from].id + "." +
                                                        other->from_socket) +
                         "; an input takes one edge");
    }
}

// A node no event source reaches would never run, and one run with an input
// unconnected would fail on it: both are mistakes in the file. The ABI has no
// optional inputs, so every input counts.
void check_every_node_runs(const WorkflowSpec &spec, const Workflow &wf) {
    std::vector<bool> reached(wf.nodes.size(), false);
    for (NodeIndex source = 0; source < wf.nodes.size(); ++source) {
        if (!wf.nodes[source].is_event_source()) continue;
        for (NodeIndex n : wf.runs_from[source]) reached[n] = true;
    }
    for (NodeIndex n = 0; n < wf.nodes.size(); ++n) {
        const nb_node_descriptor_t &d = *wf.nodes[n].type->descriptor;
        const std::string where = wf.nodes[n].label();
        if (!reached[n]) refuse(spec, where + " would never run: no event source reaches it through edges");
        for (uint32_t i = 0; i < d.input_count; ++i) {
            if (!wf.edge_into(n, d.inputs[i].name)) {
                refuse(spec, where + ": input " + in_quotes(d.inputs[i].name) +
                                 " is not connected; every input of a node needs an edge");
            }
        }
    }
}

}  // namespace

std::string node_label(const std::string &id, const std::string &type) {
    return "node " + in_quotes(id) + " (" + type + ")";
}

NodeIndex Workflow::index_of(const nb_node_t *instance) const {
    const auto it = std::find_if(nodes.begin(), nodes.end(), [&](const WorkflowNode &n) {
        return n.instance.get() == instance;
    });
    return static_cast<NodeIndex>(it - nodes.begin());
}

const WorkflowEdge *Workflow::edge_into(NodeIndex node, const std::string &socket) const {
    const auto it = std::find_if(edges.begin(), edges.end(), [&](const WorkflowEdge &e) {
        return e.to == node && e.to_socket == socket;
    });
    return it == edges.end() ? nullptr : &*it;
}

Workflow build_workflow(const WorkflowSpec &spec, const PluginSet &plugins, const nb_host_t &host) {
    Workflow wf;
    wf.name = spec.name;
    for (const NodeSpec &node : spec.nodes) {
        const NodeType *type = plugins.find(node.type);
        if (!type) {
            std::string known;
            for (const NodeType &t : plugins.node_types()) {
                known += (known.empty() ? "" : ", ") + std::string(t.descriptor->id);
            }
            refuse(spec, "node " + in_quotes(node.id) + ": unknown node type " + in_quotes(node.type) +
                             " (known: " + (known.empty() ? "none, no plugin loaded" : known) + ")");
        }
        if (const auto rivals = plugins.rivals(node.type); !rivals.empty()) {
            std::string files = "\"" + type->library->path().string() + "\"";
            for (const PluginLibrary *rival : rivals) files += " and \"" + rival->path().string() + "\"";
            refuse(spec, "node " + in_quotes(node.id) + ": node type " + in_quotes(node.type) +
                             " is ambiguous: " + files + " in one plugin folder both provide it; remove one");
        }
        if (std::any_of(wf.nodes.begin(), wf.nodes.end(),
                        [&](const WorkflowNode &n) { return n.id == node.id; })) {
            refuse(spec, "duplicate node id " + in_quotes(node.id) + "; node ids must be unique");
        }
        NodeInstance instance(type->library->entry().create_node(node.type.c_str(),
                                                                 node.id.c_str(), &host));
        if (!instance) refuse(spec, "node " + in_quotes(node.id) + ": plugin could not create a " + node.type);
        configure(spec, node, *instance);
        wf.nodes.push_back({node.id, type, std::move(instance)});
    }
    std::vector<Link> links;
    for (const EdgeSpec &edge : spec.edges) {
        WorkflowEdge resolved;
        check_edge(spec, wf, edge, resolved);
        links.emplace_back(resolved.from, resolved.to);
        wf.edges.push_back(std::move(resolved));
    }
    std::vector<std::string> ids;
    for (const WorkflowNode &node : wf.nodes) ids.push_back(node.id);
    const TopologicalOrder order = topological_order(ids, links);
    if (!order.cycle.empty()) {
        std::string path;
        for (NodeIndex n : order.cycle) path += (path.empty() ? "" : " -> ") + in_quotes(wf.nodes[n].id);
        refuse(spec, "cycle through nodes " + path + "; a workflow must be acyclic");
    }
    for (NodeIndex n = 0; n < wf.nodes.size(); ++n) {
        wf.runs_from.push_back(downstream(order.order, links, n));
    }
    check_every_node_runs(spec, wf);
    return wf;
}

}  // namespace nb::host
