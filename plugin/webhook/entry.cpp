// The one exported symbol of nb_webhook.so.

#include <cstring>

#include <nb/plugin.h>

#include "descriptor/webhook_descriptor.hpp"
#include "listeners/registry.hpp"
#include "node/webhook_node.hpp"

namespace {

using nb::webhook::ListenerRegistry;
using nb::webhook::WebhookNode;

// [main-thread] Counted: each successful init needs one deinit.
bool plugin_init(const char *) {
    try {
        ListenerRegistry::instance().retain();
        return true;
    } catch (...) {
        return false;
    }
}

// [main-thread]
void plugin_deinit() {
    try {
        ListenerRegistry::instance().release();
    } catch (...) {
        // Nothing can report it: deinit has no error channel.
    }
}

// [main-thread]
uint32_t plugin_node_count() { return 1; }

// [main-thread]
const nb_node_descriptor_t *plugin_node_descriptor(uint32_t index) {
    return index == 0 ? &nb::webhook::webhook_descriptor() : nullptr;
}

// [main-thread]
const nb_node_t *plugin_create_node(const char *node_type, const char *node_id,
                                    const nb_host_t *host) {
    if (!node_type || std::strcmp(node_type, nb::webhook::kNodeType) != 0 || !host) {
        return nullptr;
    }
    try {
        return (new WebhookNode(node_id ? node_id : "", host))->abi();
    } catch (...) {
        return nullptr;
    }
}

// [main-thread] The plugin itself offers no extension yet; its nodes do.
const void *plugin_get_extension(const char *) { return nullptr; }

}  // namespace

extern "C" __attribute__((visibility("default"))) const nb_plugin_entry_t nb_plugin_entry = {
    NB_VERSION_INIT,       plugin_init,           plugin_deinit,
    plugin_node_count,     plugin_node_descriptor, plugin_create_node,
    plugin_get_extension,
};
