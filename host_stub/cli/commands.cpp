#include "commands.hpp"

#include <cstdlib>
#include <string>

#include <descriptor_json.hpp>

#include "../plugins/plugin_set.hpp"
#include "../scheduling/host.hpp"
#include "../workflow/workflow.hpp"

namespace nb::host {

PluginSet load_plugins(const Options &options, std::ostream &err) {
    PluginSet plugins;
    plugins.load(plugin_search_path(options.plugin_dirs, std::getenv("NB_PLUGIN_PATH")), err);
    return plugins;
}

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

}  // namespace nb::host
