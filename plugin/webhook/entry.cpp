// The one exported symbol of nb_webhook.so.

#include <cstring>

#include <nb/metrics.h>
#include <nb/plugin.h>

#include "descriptor/webhook_descriptor.hpp"
#include "listeners/registry.hpp"
#include "node/webhook_node.hpp"
#include "reply/reply_descriptor.hpp"
#include "reply/reply_node.hpp"

namespace {

using nb::webhook::ListenerRegistry;
using nb::webhook::ReplyNode;
using nb::webhook::WebhookNode;

// One node type: its static descriptor, and how an instance is made (may
// throw; the caller turns that into NULL).
struct NodeType {
    const nb_node_descriptor_t &(*descriptor)() noexcept;
    const nb_node_t *(*create)(const char *node_id, const nb_host_t *host);
};

template <typename Node>
const nb_node_t *create(const char *node_id, const nb_host_t *host) {
    return (new Node(node_id, host))->abi();
}

// The order node_descriptor enumerates them in.
constexpr NodeType kNodeTypes[] = {
    {nb::webhook::webhook_descriptor, create<WebhookNode>},
    {nb::webhook::reply_descriptor, create<ReplyNode>},
};
constexpr uint32_t kNodeTypeCount = sizeof kNodeTypes / sizeof kNodeTypes[0];

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
uint32_t plugin_node_count() { return kNodeTypeCount; }

// [main-thread] Static: valid until the last deinit.
const nb_node_descriptor_t *plugin_node_descriptor(uint32_t index) {
    return index < kNodeTypeCount ? &kNodeTypes[index].descriptor() : nullptr;
}

// [main-thread] `node_type` and `node_id` are borrowed for the call; `host`
// must outlive the instance.
const nb_node_t *plugin_create_node(const char *node_type, const char *node_id,
                                    const nb_host_t *host) {
    if (!node_type || !host) return nullptr;
    for (const NodeType &type : kNodeTypes) {
        if (std::strcmp(node_type, type.descriptor().id) != 0) continue;
        try {
            return type.create(node_id ? node_id : "", host);
        } catch (...) {
            return nullptr;
        }
    }
    return nullptr;
}

// [thread-safe] Every node's and port's counts (ListenerRegistry::report).
void collect_metrics(const nb_metrics_sink_t *sink) {
    if (!sink) return;
    try {
        ListenerRegistry::instance().report(*sink);
    } catch (...) {
        // No memory for the copies: this scrape misses the plugin's counts.
    }
}

// [main-thread] NB_EXT_METRICS; the nodes offer their own extensions.
// Static: valid until the last deinit.
const void *plugin_get_extension(const char *id) {
    static const nb_plugin_metrics_t metrics{collect_metrics};
    return id && std::strcmp(id, NB_EXT_METRICS) == 0 ? &metrics : nullptr;
}

}  // namespace

// Declared extern "C" and exported by <nb/plugin.h>.
const nb_plugin_entry_t nb_plugin_entry = {
    NB_VERSION_INIT,       plugin_init,           plugin_deinit,
    plugin_node_count,     plugin_node_descriptor, plugin_create_node,
    plugin_get_extension,
};
