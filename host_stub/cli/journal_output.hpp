#pragma once

// How `nb-host journal` prints events and counts: as text for people (one
// line per event, one field per line) and as JSON for programs. Events come
// from a journal or, with --broker, from Redis: both print through here.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "../store/journal_reader.hpp"

namespace nb::host {

// "pending", "finished", "failed" (or "state N" for a state this nb-host
// does not know).
std::string state_name(int state);

// One event as `journal list` prints it.
struct ListedEvent {
    std::variant<std::int64_t, std::string> id;  // a journal's number, or the broker's NODE/MS-SEQ
    std::string node;
    std::int64_t accepted_at = 0;  // Unix ms
    std::string state;             // state_name's, or the broker's (docs/journal.md)
    std::int64_t attempts = 0;
    std::int64_t body_bytes = 0;
    std::optional<std::string> last_error;
};

// One event with every stored field, as `journal show` prints it.
struct ShownEvent : EventFields {
    ListedEvent summary;
    std::optional<std::int64_t> finished_at;  // Unix ms
    std::optional<bool> replay;               // a journal's: marked for replay
    std::optional<std::string> entry;         // a dead letter's in Redis: the stream entry it was
};

// One line per event, tab-separated: ID ACCEPTED NODE STATE attempts N
// body N B, and for a failed event error: E.
std::string list_text(const std::vector<ListedEvent> &events);
// A JSON array with one object per event, and a "\n".
std::string list_json(const std::vector<ListedEvent> &events);

// Secret header values are "[redacted]" unless `show_secrets`.
std::string show_text(const ShownEvent &event, bool show_secrets);
std::string show_json(const ShownEvent &event, bool show_secrets);

std::string stats_text(const JournalStats &stats);
std::string stats_json(const JournalStats &stats);

// Control characters escaped, so a stored value cannot break a line or forge one.
std::string one_line(const std::string &text);

}  // namespace nb::host
