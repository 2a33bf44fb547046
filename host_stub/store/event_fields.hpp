#pragma once

// An event's own columns in the journal, read back the same way by the
// host's replay and by `nb-host journal show`.

#include <cstdint>
#include <optional>
#include <string>

#include "sqlite.hpp"

namespace nb::host {

struct EventFields {
    std::string method, path, remote_addr, headers_json, query_json, body;
    std::optional<std::string> delivery_id;
    std::uint32_t dedupe_window_s = 0;
};

// The columns read_event_fields expects, in its order.
constexpr const char *kEventColumns =
    "method, path, remote_addr, headers_json, query_json, body, delivery_id, dedupe_window_s";

// From `row`'s columns `first` onwards, selected as kEventColumns.
EventFields read_event_fields(const Statement &row, int first);

}  // namespace nb::host
