#include "access_line.hpp"

#include "exposition.hpp"
#include "json_text.hpp"
#include "utc_time.hpp"

namespace nb::host {
namespace {

std::string text_of(const char *text) { return text ? text : ""; }

void append_field(std::string &out, const char *name, std::string_view value, bool null_when_empty = false) {
    out += ",\"";
    out += name;
    out += "\":";
    if (null_when_empty && value.empty()) {
        out += "null";
    } else {
        append_json_string(out, value);
    }
}

void append_number(std::string &out, const char *name, const std::string &number) {
    out += ",\"";
    out += name;
    out += "\":";
    out += number;
}

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
    out += "{\"time\":\"";
    out += format_utc_time(entry.unix_ms);
    out += "\",\"node\":";
    if (entry.node) {
        append_json_string(out, *entry.node);
    } else {
        out += "null";
    }
    append_field(out, "client", entry.client);
    append_field(out, "method", entry.method);
    append_field(out, "path", entry.path);
    append_number(out, "port", std::to_string(entry.port));
    append_number(out, "status", std::to_string(entry.status));
    append_number(out, "body_bytes", std::to_string(entry.body_bytes));
    append_number(out, "duration_s", metric_number(static_cast<double>(entry.duration_ns) / 1e9));
    append_field(out, "delivery_id", entry.delivery_id, true);
    append_field(out, "refusal", entry.refusal, true);
    out += "}\n";
}

}  // namespace nb::host
