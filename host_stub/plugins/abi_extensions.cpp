#include "abi_extensions.hpp"

namespace nb::host {

const void *plugin_extension(const nb_plugin_entry_t &entry, const char *id) {
    return nb_version_has(entry.abi, 1) && id && entry.get_extension ? entry.get_extension(id) : nullptr;
}

const void *node_extension(const nb_node_t &node, const char *id) {
    return nb_version_has(node.abi, 1) && id && node.get_extension ? node.get_extension(&node, id) : nullptr;
}

const void *event_extension(const nb_event_t &event, const char *id) {
    return nb_version_has(event.abi, 1) && id && event.get_extension ? event.get_extension(&event, id)
                                                                      : nullptr;
}

}  // namespace nb::host
