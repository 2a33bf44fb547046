#include "stream_format.hpp"

#include "integer.hpp"
#include "resp_reply.hpp"

namespace nb::host {
namespace {

constexpr unsigned kSeqBits = 20;
constexpr std::uint64_t kMaxMs = (std::uint64_t{1} << (64 - kSeqBits)) - 1;

std::int64_t number_or_zero(std::string_view text) { return parse_integer(text).value_or(0); }

}  // namespace

StreamKeys stream_keys(std::string_view workflow, std::string_view node) {
    std::string stream = "nb:";
    stream.append(workflow).append(":").append(node);
    return {stream, stream + ":dead", stream + ":seen:"};
}

std::optional<std::uint64_t> entry_number(std::string_view entry_id) {
    const auto dash = entry_id.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    const auto ms = parse_integer(entry_id.substr(0, dash), Sign::unsigned_only);
    const auto seq = parse_integer(entry_id.substr(dash + 1), Sign::unsigned_only);
    if (!ms || !seq || static_cast<std::uint64_t>(*ms) > kMaxMs || *seq >= (std::int64_t{1} << kSeqBits)) {
        return std::nullopt;
    }
    return (static_cast<std::uint64_t>(*ms) << kSeqBits) | static_cast<std::uint64_t>(*seq);
}

std::string entry_id_of(std::uint64_t number) {
    return std::to_string(number >> kSeqBits) + "-" + std::to_string(number & ((1u << kSeqBits) - 1));
}

EntryPairs entry_pairs(const EventRecord &record, std::string_view accepted_ms, std::string_view window) {
    EntryPairs out;
    const auto field = [&](std::string_view name, std::string_view value) { out.pairs[out.count++] = {name, value}; };
    field("method", record.method);
    field("path", record.path);
    field("remote_addr", record.remote_addr);
    field("headers", record.headers_json);
    field("query", record.query_json);
    field("body", record.body);
    if (record.delivery_id) field("delivery_id", *record.delivery_id);
    if (record.dedupe_window_s) field("dedupe_window_s", window);
    field("accepted_at", accepted_ms);
    return out;
}

EntryFields read_fields(RedisArray pairs) {
    EntryFields out;
    for (std::size_t i = 0; i + 1 < count(pairs); i += 2) {
        const std::string name = bulk(std::move(pairs[i])).value_or("");
        std::string value = bulk(std::move(pairs[i + 1])).value_or("");
        EventFields &e = out.event;
        if (name == "method") e.method = std::move(value);
        else if (name == "path") e.path = std::move(value);
        else if (name == "remote_addr") e.remote_addr = std::move(value);
        else if (name == "headers") e.headers_json = std::move(value);
        else if (name == "query") e.query_json = std::move(value);
        else if (name == "body") e.body = std::move(value);
        else if (name == "delivery_id") e.delivery_id = std::move(value);
        else if (name == "dedupe_window_s") e.dedupe_window_s = static_cast<std::uint32_t>(number_or_zero(value));
        else if (name == "accepted_at") out.accepted_ms = number_or_zero(value);
        else if (name == "entry") out.entry = std::move(value);
        else if (name == "error") out.error = std::move(value);
        else if (name == "attempts") out.attempts = static_cast<std::uint32_t>(number_or_zero(value));
        else if (name == "failed_at") out.failed_ms = number_or_zero(value);
    }
    return out;
}

}  // namespace nb::host
