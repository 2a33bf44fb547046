#pragma once

#include <nb/node.h>

namespace nb::webhook {

class WebhookNode;

// The C instance of `node`: every function pointer, node_data = node.
nb_node_t make_node_vtable(WebhookNode *node) noexcept;

}  // namespace nb::webhook
