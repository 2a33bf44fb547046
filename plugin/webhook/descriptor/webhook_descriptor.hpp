#pragma once

#include <nb/descriptor.h>

namespace nb::webhook {

inline constexpr const char *kNodeType = "events.webhook";

// Output socket names, in descriptor order.
inline constexpr const char *kOutReceivedData = "received_data";
inline constexpr const char *kOutHeaders = "headers";
inline constexpr const char *kOutQuery = "query";

// The static descriptor of events.webhook; lives as long as the library.
const nb_node_descriptor_t &webhook_descriptor() noexcept;

}  // namespace nb::webhook
