#include "node_vtable.hpp"

#include <cstring>

#include "abi_guard.hpp"
#include "descriptor/webhook_descriptor.hpp"
#include "webhook_node.hpp"

// The C face of WebhookNode. No exception may cross the ABI: each function
// turns any escaping exception into NB_ERR_INTERNAL plus last_error.
namespace nb::webhook {
namespace {

template <typename Fn>
nb_status_t guarded(const nb_node_t *node, Fn &&fn) noexcept {
    if (!node) return NB_ERR_INVALID;
    WebhookNode &self = WebhookNode::from(node);
    return abi_guard([&] { return fn(self); },
                     [&self](nb_status_t status, const char *message) {
                         return self.fail(status, message);
                     });
}

// [main-thread]
void node_destroy(const nb_node_t *node) {
    if (!node) return;
    delete &WebhookNode::from(node);
}

// [main-thread]
nb_status_t node_set_widget(const nb_node_t *node, const char *name, const char *value) {
    return guarded(node, [&](WebhookNode &self) { return self.set_widget(name, value); });
}

// [main-thread]
const char *node_get_widget(const nb_node_t *node, const char *name) {
    return node ? WebhookNode::from(node).get_widget(name) : nullptr;
}

// [main-thread]
nb_status_t node_start(const nb_node_t *node) {
    return guarded(node, [](WebhookNode &self) { return self.start(); });
}

// [main-thread] Blocks until no trigger for the node is in progress and none
// can start.
void node_stop(const nb_node_t *node) {
    if (node) WebhookNode::from(node).stop();
}

// [worker-thread]
nb_status_t node_execute(const nb_node_t *node, const nb_run_t *run) {
    return guarded(node, [run](WebhookNode &self) { return self.execute(run); });
}

// [main-thread] NB_EXT_LISTEN_ADDRESS.count
uint32_t listen_count(const nb_node_t *node) {
    nb_listen_address_t unused;
    return node && WebhookNode::from(node).listen_address(unused) ? 1 : 0;
}

// [main-thread] NB_EXT_LISTEN_ADDRESS.get
bool listen_get(const nb_node_t *node, uint32_t index, nb_listen_address_t *out) {
    return node && out && index == 0 && WebhookNode::from(node).listen_address(*out);
}

constexpr nb_node_listen_address_t kListenAddress = {listen_count, listen_get};

// [thread-safe]
const void *node_get_extension(const nb_node_t *node, const char *id) {
    if (!node || !id) return nullptr;
    return std::strcmp(id, NB_EXT_LISTEN_ADDRESS) == 0 ? &kListenAddress : nullptr;
}

// [the thread of the failed call]
const char *node_last_error(const nb_node_t *node) {
    if (!node) return "";
    try {
        return WebhookNode::from(node).last_error();
    } catch (...) {
        return "";
    }
}

}  // namespace

nb_node_t make_node_vtable(WebhookNode *node) noexcept {
    nb_node_t abi{};
    abi.abi = NB_VERSION_INIT;
    abi.descriptor = &webhook_descriptor();
    abi.node_data = node;
    abi.destroy = node_destroy;
    abi.set_widget = node_set_widget;
    abi.get_widget = node_get_widget;
    abi.start = node_start;
    abi.stop = node_stop;
    abi.execute = node_execute;
    abi.last_error = node_last_error;
    abi.get_extension = node_get_extension;
    return abi;
}

}  // namespace nb::webhook
