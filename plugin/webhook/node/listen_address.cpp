// NB_EXT_LISTEN_ADDRESS of events.webhook: where a started node listens, so
// a host can say so without knowing the node's widgets.
#include <cstring>

#include "webhook_node.hpp"

namespace nb::webhook {
namespace {

const WebhookNode &node_of(const nb_node_t *node) noexcept {
    return *static_cast<const WebhookNode *>(node->node_data);
}

// [main-thread]
uint32_t listen_count(const nb_node_t *node) {
    nb_listen_address_t unused;
    return node && node_of(node).listen_address(unused) ? 1 : 0;
}

// [main-thread] The strings are the node's, valid until its stop.
bool listen_get(const nb_node_t *node, uint32_t index, nb_listen_address_t *out) {
    return node && out && index == 0 && node_of(node).listen_address(*out);
}

constexpr nb_node_listen_address_t kListenAddress = {listen_count, listen_get};

}  // namespace

const void *WebhookNode::extension(const char *id) noexcept {
    return std::strcmp(id, NB_EXT_LISTEN_ADDRESS) == 0 ? &kListenAddress : nullptr;
}

}  // namespace nb::webhook
