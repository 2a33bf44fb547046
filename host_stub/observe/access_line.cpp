#include "access_line.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "json_text.hpp"
#include "utc_time.hpp"

namespace nb::host {
namespace {

// The text of a line without its strings (the time included), with room to spare.
constexpr std::size_t kFixedRoom = 256 + kUtcTimeRoom;

char *put(char *p, std::string_view text) {
    std::memcpy(p, text.data(), text.size());
    return p + text.size();
}

char *put_integer(char *p, std::uint64_t value) {
    return std::to_chars(p, p + 20, value).ptr;
}

// A string field, or null for an empty one when `null_when_empty`.
char *put_field(char *p, std::string_view name, std::string_view value, bool null_when_empty = false) {
    p = put(p, name);
    return null_when_empty && value.empty() ? put(p, "null") : put_json_string(p, value);
}

std::string text_of(const char *text) { return text ? text : ""; }

}  // namespace

AccessEntry::AccessEntry(std::int64_t unix_ms, const std::string *node, const nb_access_record_t &record)
    : unix_ms(unix_ms),
      node(node ? std::optional<std::string>(*node) : std::nullopt),
      client(text_of(record.client)),
      method(text_of(record.method)),
      path(text_of(record.path)),
      delivery_id(text_of(record.delivery_id)),
      refusal(text_of(record.refusal)),
      port(record.port),
      status(record.status),
      body_bytes(record.body_bytes),
      duration_ns(record.duration_ns) {}

void append_access_line(std::string &out, const AccessEntry &entry) {
    // Written straight into room made once: the writer formats every
    // request's line, and piecewise appends cost several times more.
    const std::size_t strings = (entry.node ? entry.node->size() : 0) + entry.client.size() +
                                entry.method.size() + entry.path.size() +
                                entry.delivery_id.size() + entry.refusal.size();
    const std::size_t start = out.size();
    out.resize(start + kFixedRoom + 6 * strings);
    char *p = out.data() + start;
    p = put(p, "{\"time\":\"");
    p = put_utc_time(p, entry.unix_ms);
    p = put(p, "\",\"node\":");
    p = entry.node ? put_json_string(p, *entry.node) : put(p, "null");
    p = put_field(p, ",\"client\":", entry.client);
    p = put_field(p, ",\"method\":", entry.method);
    p = put_field(p, ",\"path\":", entry.path);
    p = put_integer(put(p, ",\"port\":"), entry.port);
    p = put_integer(put(p, ",\"status\":"), entry.status);
    p = put_integer(put(p, ",\"body_bytes\":"), entry.body_bytes);
    // Seconds to the microsecond, in integers: exact, and cheaper than a double's shortest form.
    p = put_integer(put(p, ",\"duration_s\":"), entry.duration_ns / 1'000'000'000);
    char micros[] = ".000000";
    for (std::uint64_t v = entry.duration_ns / 1000 % 1'000'000, i = 6; v > 0; v /= 10, --i) {
        micros[i] = static_cast<char>('0' + v % 10);
    }
    p = put(p, micros);
    p = put_field(p, ",\"delivery_id\":", entry.delivery_id, true);
    p = put_field(p, ",\"refusal\":", entry.refusal, true);
    p = put(p, "}\n");
    out.resize(static_cast<std::size_t>(p - out.data()));
}

}  // namespace nb::host
