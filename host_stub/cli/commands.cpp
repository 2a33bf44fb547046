#include "commands.hpp"

#include <cstdlib>
#include <string>

#include <descriptor_json.hpp>

#include "../plugins/plugin_set.hpp"
#include "../scheduling/host.hpp"
#include "../workflow/workflow.hpp"

namespace nb::host {
namespace {

PluginSet load_plugins(const Options &options, std::ostream &err) {
    PluginSet plugins;
    plugins.load(plugin_search_path(options.plugin_dirs, std::getenv("NB_PLUGIN_PATH")), err);
    return plugins;
}

const char *widget_or_empty(const nb_node_t &node, const char *name) {
    const char *value = node.get_widget(&node, name);
    return value ? value : "";
}

// The host part of a listener's URL: its bind widget, all interfaces when
// empty or absent, an IPv6 address in brackets.
std::string listen_host(const std::string &bind) {
    if (bind.empty()) return "0.0.0.0";
    return bind.find(':') == std::string::npos ? bind : "[" + bind + "]";
}

}  // namespace

int command_check(const Options &options, std::ostream &out, std::ostream &err) {
    const PluginSet plugins = load_plugins(options, err);
    try {
        const WorkflowSpec spec = read_workflow_file(options.argument);
        Host host(err);
        const Workflow workflow = build_workflow(spec, plugins, host.abi());
        out << "ok: " << options.argument << ": " << workflow.nodes.size() << " nodes, "
            << workflow.edges.size() << " edges\n";
        return exit_ok;
    } catch (const WorkflowError &e) {
        err << "nb-host: error: " << e.what() << "\n";
        return exit_failure;
    }
}

int command_nodes(const Options &options, std::ostream &out, std::ostream &err) {
    const PluginSet plugins = load_plugins(options, err);
    for (const NodeType &type : plugins.node_types()) {
        out << type.descriptor->id << "\t" << type.descriptor->version << "\t"
            << type.descriptor->title << "\t" << type.library->path().string() << "\n";
    }
    return exit_ok;
}

int command_describe(const Options &options, std::ostream &out, std::ostream &err) {
    const PluginSet plugins = load_plugins(options, err);
    const NodeType *type = plugins.find(options.argument);
    if (!type) {
        err << "nb-host: error: unknown node type \"" << options.argument
            << "\" (nb-host nodes lists the known ones)\n";
        return exit_failure;
    }
    out << descriptor_to_json(*type->descriptor);
    return exit_ok;
}

int command_run(const Options &options, const sigset_t &stop_signals, std::ostream &out,
                std::ostream &err) {
    const PluginSet plugins = load_plugins(options, err);
    Host host(err);  // after plugins: destroyed (nodes first) before they unload
    try {
        const WorkflowSpec spec = read_workflow_file(options.argument);
        host.start_runs(build_workflow(spec, plugins, host.abi()), options.workers, options.queue);
        host.listen();
    } catch (const WorkflowError &e) {
        err << "nb-host: error: " << e.what() << "\n";
        return exit_failure;
    } catch (const ListenError &e) {
        err << "nb-host: error: " << e.what() << "\n";
        return exit_failure;
    }
    for (const WorkflowNode &node : host.workflow().nodes) {
        const nb_node_t &instance = *node.instance;
        if (!node.is_event_source() || !instance.get_widget(&instance, "port")) continue;
        out << "listening: http://" << listen_host(widget_or_empty(instance, "bind")) << ":"
            << widget_or_empty(instance, "port")
            << widget_or_empty(instance, "path") << " (node " << node.id << ")\n";
    }
    out.flush();
    int signal = 0;
    sigwait(&stop_signals, &signal);
    host.shutdown();
    if (options.stats) err << "stats: " << host.stats().summary() << "\n";
    return exit_ok;
}

}  // namespace nb::host
