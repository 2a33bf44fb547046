#pragma once

// What `nb-host journal` reads from a journal, and the one change it makes
// (marking events for replay), beside a running host: WAL lets a reader see
// the last commit while the host writes, and a mark is one short transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "event_fields.hpp"
#include "journal_file.hpp"

namespace nb::host {

// Which events `journal list` shows and `journal replay --failed` marks.
enum class EventFilter { all, pending, failed };

// One event as `journal list` shows it.
struct EventSummary {
    std::int64_t id = 0;
    std::string node;
    std::int64_t accepted_at = 0;  // Unix ms
    int state = 0;                 // EventState
    std::int64_t attempts = 0;
    std::int64_t body_bytes = 0;
    std::optional<std::string> last_error;
};

// One event with every stored field, as `journal show` shows it.
struct EventDetails : EventFields {
    EventSummary summary;
    std::optional<std::int64_t> finished_at;  // Unix ms
    bool replay = false;
};

struct ReplayMarks {
    std::vector<std::int64_t> marked;           // finished or failed: now pending, replay = 1
    std::vector<std::int64_t> already_pending;  // left alone
};

struct JournalStats {
    std::int64_t pending = 0, finished = 0, failed = 0;
    std::optional<std::int64_t> oldest_pending_at;  // Unix ms
    std::uint64_t file_bytes = 0;  // the database and its -wal
    std::int64_t pages_in_use = 0, page_size = 0;
};

class JournalReader {
public:
    explicit JournalReader(JournalFile &file) : file_(file) {}

    // Oldest first; `since` (Unix ms) keeps those accepted at or after it.
    std::vector<EventSummary> list(EventFilter filter, std::optional<std::int64_t> since);
    // Nothing for an unknown id.
    std::optional<EventDetails> show(std::int64_t id);
    // In one transaction. Throws JournalError naming the file and the first
    // unknown id, with nothing changed. Needs JournalAccess::read_write.
    ReplayMarks mark_replay(const std::vector<std::int64_t> &ids);
    // Every failed event, in one transaction.
    ReplayMarks mark_failed_replay();
    // Read in one transaction, so the counts agree with each other.
    JournalStats stats();

private:
    JournalFile &file_;
};

}  // namespace nb::host
