#pragma once

#include <nb/descriptor.h>

namespace nb::webhook {

inline constexpr const char *kReplyNodeType = "events.webhook_reply";

// The static descriptor of events.webhook_reply; lives as long as the library.
const nb_node_descriptor_t &reply_descriptor() noexcept;

}  // namespace nb::webhook
