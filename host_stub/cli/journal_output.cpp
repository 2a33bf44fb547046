#include "journal_output.hpp"

#include <sstream>

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include "header_redaction.hpp"
#include "json_object.hpp"
#include "../observe/utc_time.hpp"
#include "utf8.hpp"

#include "../store/journal_schema.hpp"

namespace nb::host {
namespace {

// A member of a stored JSON object (headers, query): its value for a
// person (strings unquoted) and as JSON.
struct Member {
    std::string name, text, json;
};
using Members = std::vector<Member>;

// Members in their stored order; nothing when the text is not a JSON object.
std::optional<Members> members_of(const std::string &json) {
    Poco::JSON::Object::Ptr object;
    try {
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
        const Poco::Dynamic::Var root = parser.parse(json);
        if (root.type() != typeid(Poco::JSON::Object::Ptr)) return std::nullopt;
        object = root.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception &) {
        return std::nullopt;
    }
    Members members;
    for (const std::string &name : object->getNames()) {
        const Poco::Dynamic::Var value = object->get(name);
        if (value.isString()) {
            const std::string text = value.extract<std::string>();
            members.push_back({name, text, json_literal(text)});
        } else {
            std::ostringstream text;
            Poco::JSON::Stringifier::stringify(value, text);
            members.push_back({name, text.str(), text.str()});
        }
    }
    return members;
}

// Headers with secret values replaced; unreadable headers are hidden whole
// by the callers, since which of them are secret cannot be told.
std::optional<Members> headers_to_show(const ShownEvent &event, bool show_secrets) {
    auto headers = members_of(event.headers_json);
    if (!headers || show_secrets) return headers;
    for (Member &header : *headers) {
        if (is_secret_header(header.name)) header = {header.name, kRedacted, json_literal(kRedacted)};
    }
    return headers;
}

std::string members_json(const std::optional<Members> &members, const std::string &raw) {
    if (!members) return json_literal(raw);
    JsonObject object;
    for (const Member &member : *members) object.add_json(member.name, member.json);
    return object.text();
}

std::string base64(const std::string &bytes) {
    std::ostringstream text;
    Poco::Base64Encoder encoder(text);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return text.str();
}

std::string id_text(const ListedEvent &event) {
    if (const auto *number = std::get_if<std::int64_t>(&event.id)) return std::to_string(*number);
    return one_line(std::get<std::string>(event.id));
}

JsonObject summary_json(const ListedEvent &event) {
    JsonObject object;
    std::visit([&object](const auto &id) { object.add("id", id); }, event.id);
    object.add("accepted_at", format_utc_time(event.accepted_at))
        .add("node", event.node)
        .add("state", event.state)
        .add("attempts", event.attempts)
        .add("body_bytes", event.body_bytes)
        .add_or_null("last_error", event.last_error);
    return object;
}

}  // namespace

std::string one_line(const std::string &text) {
    std::string line;
    for (const char c : text) {
        if (c == '\n') {
            line += "\\n";
        } else if (c == '\r') {
            line += "\\r";
        } else if (c == '\t') {
            line += "\\t";
        } else if (c == '\\') {
            line += "\\\\";
        } else if (static_cast<unsigned char>(c) < 0x20) {
            line += '?';
        } else {
            line += c;
        }
    }
    return line;
}

std::string state_name(int state) {
    switch (static_cast<EventState>(state)) {
    case EventState::pending: return "pending";
    case EventState::finished: return "finished";
    case EventState::failed: return "failed";
    }
    return "state " + std::to_string(state);
}

std::string list_text(const std::vector<ListedEvent> &events) {
    std::string text;
    for (const ListedEvent &event : events) {
        text += id_text(event) + "\t" + format_utc_time(event.accepted_at) + "\t" + one_line(event.node) + "\t" +
                one_line(event.state) + "\tattempts " + std::to_string(event.attempts) + "\tbody " +
                std::to_string(event.body_bytes) + " B";
        if (event.state == "failed" && event.last_error) text += "\terror: " + one_line(*event.last_error);
        text += "\n";
    }
    return text;
}

std::string list_json(const std::vector<ListedEvent> &events) {
    std::string json = "[";
    for (const ListedEvent &event : events) {
        if (json.size() > 1) json += ",";
        json += "\n  " + summary_json(event).text();
    }
    return json + (events.empty() ? "]\n" : "\n]\n");
}

std::string show_text(const ShownEvent &event, bool show_secrets) {
    const ListedEvent &s = event.summary;
    std::ostringstream text;
    text << "id: " << id_text(s) << "\n"
         << "node: " << one_line(s.node) << "\n"
         << "state: " << one_line(s.state) << (event.replay.value_or(false) ? " (marked for replay)" : "") << "\n"
         << "attempts: " << s.attempts << "\n"
         << "last error: " << (s.last_error ? one_line(*s.last_error) : "-") << "\n"
         << "accepted: " << format_utc_time(s.accepted_at) << "\n"
         << "finished: " << utc_time_or_dash(event.finished_at) << "\n";
    if (event.entry) text << "original entry: " << one_line(*event.entry) << "\n";
    text << "method: " << one_line(event.method) << "\n"
         << "path: " << one_line(event.path) << "\n"
         << "remote address: " << one_line(event.remote_addr) << "\n"
         << "delivery id: " << (event.delivery_id ? one_line(*event.delivery_id) : "-") << "\n"
         << "dedupe window: " << event.dedupe_window_s << " s\n";
    const auto headers = headers_to_show(event, show_secrets);
    const auto query = members_of(event.query_json);
    const auto section = [&text](const char *title, const std::optional<Members> &members,
                                 const std::string &raw, bool hide_raw) {
        text << title << ":";
        if (!members) {
            text << " (not a JSON object) " << (hide_raw ? kRedacted : one_line(raw)) << "\n";
            return;
        }
        text << "\n";
        for (const Member &member : *members) {
            text << "  " << one_line(member.name) << ": " << one_line(member.text) << "\n";
        }
    };
    section("headers", headers, event.headers_json, !show_secrets);
    section("query", query, event.query_json, false);
    text << "body: " << s.body_bytes << " B\n" << event.body << "\n";
    return text.str();
}

std::string show_json(const ShownEvent &event, bool show_secrets) {
    const auto headers = headers_to_show(event, show_secrets);
    JsonObject object = summary_json(event.summary);
    object.add_or_null("finished_at", optional_utc_time(event.finished_at));
    if (event.replay) object.add_bool("replay", *event.replay);
    if (event.entry) object.add("entry", *event.entry);
    object.add("method", event.method)
        .add("path", event.path)
        .add("remote_addr", event.remote_addr)
        .add_json("headers", members_json(headers, show_secrets ? event.headers_json : kRedacted))
        .add_json("query", members_json(members_of(event.query_json), event.query_json))
        .add_or_null("delivery_id", event.delivery_id)
        .add("dedupe_window_s", event.dedupe_window_s);
    // A body that is not UTF-8 cannot be a JSON string: its bytes in base64.
    if (is_valid_utf8(event.body)) {
        object.add("body", event.body);
    } else {
        object.add_json("body", "null").add("body_base64", base64(event.body));
    }
    return object.text() + "\n";
}

std::string stats_text(const JournalStats &stats) {
    std::ostringstream text;
    text << "pending: " << stats.pending << "\n"
         << "finished: " << stats.finished << "\n"
         << "failed: " << stats.failed << "\n"
         << "oldest pending: " << utc_time_or_dash(stats.oldest_pending_at) << "\n"
         << "file: " << stats.file_bytes << " B (database and -wal)\n"
         << "pages in use: " << stats.pages_in_use << " (" << stats.page_size << " B each)\n";
    return text.str();
}

std::string stats_json(const JournalStats &stats) {
    JsonObject object;
    object.add("pending", stats.pending)
        .add("finished", stats.finished)
        .add("failed", stats.failed)
        .add_or_null("oldest_pending_at", optional_utc_time(stats.oldest_pending_at))
        .add("file_bytes", static_cast<std::int64_t>(stats.file_bytes))
        .add("pages_in_use", stats.pages_in_use)
        .add("page_size", stats.page_size);
    return object.text() + "\n";
}

}  // namespace nb::host
