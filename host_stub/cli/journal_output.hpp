#pragma once

// How `nb-host journal` prints events and counts: as text for people (one
// line per event, one field per line) and as JSON for programs.

#include <string>
#include <vector>

#include "../store/journal_reader.hpp"

namespace nb::host {

// "pending", "finished", "failed" (or "state N" for a state this nb-host
// does not know).
std::string state_name(int state);

// ID ACCEPTED NODE STATE attempts N body N B [error: E], tab-separated, with "\n".
std::string list_line(const EventSummary &event);
// A JSON array with one object per event, and a "\n".
std::string list_json(const std::vector<EventSummary> &events);

// Secret header values are "[redacted]" unless `show_secrets`.
std::string show_text(const EventDetails &event, bool show_secrets);
std::string show_json(const EventDetails &event, bool show_secrets);

std::string stats_text(const JournalStats &stats);
std::string stats_json(const JournalStats &stats);

}  // namespace nb::host
