#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nb/access_log.h>

namespace nb::host {

// One access record, copied out of the plugin's borrowed one.
struct AccessEntry {
    std::int64_t unix_ms = 0;         // when the host received it
    std::optional<std::string> node;  // the workflow node's id; none when the request reached none
    std::string client, method, path, delivery_id, refusal;
    std::uint16_t port = 0;
    std::uint16_t status = 0;
    std::uint64_t body_bytes = 0;
    std::uint64_t duration_ns = 0;

    AccessEntry() = default;
    // `node` may be null: the request reached none.
    AccessEntry(std::int64_t unix_ms, const std::string *node, const nb_access_record_t &record);
};

// Appends the entry's JSON line, newline included: time, node, client,
// method, path, port, status, body_bytes, duration_s, delivery_id, refusal
// (delivery_id and refusal null when empty).
void append_access_line(std::string &out, const AccessEntry &entry);

}  // namespace nb::host
