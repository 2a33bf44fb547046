#include "journal_reader.hpp"

#include <limits>
#include <system_error>

#include "journal_schema.hpp"

namespace nb::host {
namespace {

constexpr const char *kSummaryColumns =
    "id, node, accepted_at, state, attempts, length(CAST(body AS BLOB)), last_error";

EventSummary summary_of(const Statement &row) {
    EventSummary event;
    event.id = row.integer(0);
    event.node = row.text(1);
    event.accepted_at = row.integer(2);
    event.state = static_cast<int>(row.integer(3));
    event.attempts = row.integer(4);
    event.body_bytes = row.integer(5);
    event.last_error = row.optional_text(6);
    return event;
}

int state_number(EventState state) { return static_cast<int>(state); }

std::uint64_t size_or_zero(const std::filesystem::path &path) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    return error ? 0 : size;
}

}  // namespace

std::vector<EventSummary> JournalReader::list(EventFilter filter, std::optional<std::int64_t> since) {
    const std::string sql = std::string("SELECT ") + kSummaryColumns +
                            " FROM events WHERE (?1 < 0 OR state = ?1) AND accepted_at >= ?2 ORDER BY id";
    Statement query(file_.db(), sql.c_str());
    const int state = filter == EventFilter::pending  ? state_number(EventState::pending)
                      : filter == EventFilter::failed ? state_number(EventState::failed)
                                                      : -1;
    query.bind(1, std::int64_t{state});
    query.bind(2, since.value_or(std::numeric_limits<std::int64_t>::min()));
    std::vector<EventSummary> events;
    while (query.step()) events.push_back(summary_of(query));
    return events;
}

std::optional<EventDetails> JournalReader::show(std::int64_t id) {
    const std::string sql = std::string("SELECT ") + kSummaryColumns +
                            ", finished_at, replay, " + kEventColumns + " FROM events WHERE id = ?1";
    Statement query(file_.db(), sql.c_str());
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    EventDetails event;
    static_cast<EventFields &>(event) = read_event_fields(query, 9);
    event.summary = summary_of(query);
    if (!query.is_null(7)) event.finished_at = query.integer(7);
    event.replay = query.integer(8) != 0;
    return event;
}

ReplayMarks JournalReader::mark_replay(const std::vector<std::int64_t> &ids) {
    Database &db = file_.db();
    // IMMEDIATE: the states read below cannot change before the update.
    Transaction transaction(db, "BEGIN IMMEDIATE");
    Statement state(db, "SELECT state FROM events WHERE id = ?1");
    Statement mark(db, "UPDATE events SET state = ?2, replay = 1 WHERE id = ?1");
    ReplayMarks marks;
    for (const std::int64_t id : ids) {
        state.bind(1, id);
        if (!state.step()) {
            throw JournalError(file_.path().string() + " has no event " + std::to_string(id) +
                               ": nothing marked");
        }
        const bool pending = state.integer(0) == state_number(EventState::pending);
        state.reset();
        if (pending) {
            marks.already_pending.push_back(id);
        } else {
            mark.bind(1, id).bind(2, std::int64_t{state_number(EventState::pending)});
            mark.run();
            marks.marked.push_back(id);
        }
    }
    transaction.commit();
    return marks;
}

ReplayMarks JournalReader::mark_failed_replay() {
    Database &db = file_.db();
    Transaction transaction(db, "BEGIN IMMEDIATE");
    Statement mark(db, "UPDATE event_runs SET state = ?1, replay = 1 WHERE state = ?2 RETURNING event_id");
    mark.bind(1, std::int64_t{state_number(EventState::pending)});
    mark.bind(2, std::int64_t{state_number(EventState::failed)});
    ReplayMarks marks;
    while (mark.step()) marks.marked.push_back(mark.integer(0));
    mark.reset();
    transaction.commit();
    return marks;
}

JournalStats JournalReader::stats() {
    Database &db = file_.db();
    JournalStats stats;
    {
        Transaction transaction(db, "BEGIN");
        Statement counts(db, "SELECT state, count(*) FROM events GROUP BY state");
        while (counts.step()) {
            const auto state = static_cast<EventState>(counts.integer(0));
            const std::int64_t count = counts.integer(1);
            if (state == EventState::pending) stats.pending = count;
            if (state == EventState::finished) stats.finished = count;
            if (state == EventState::failed) stats.failed = count;
        }
        Statement oldest(db, "SELECT min(accepted_at) FROM events WHERE state = ?1");
        oldest.bind(1, std::int64_t{state_number(EventState::pending)});
        if (oldest.step() && !oldest.is_null(0)) stats.oldest_pending_at = oldest.integer(0);
        stats.pages_in_use = db.scalar("PRAGMA page_count") - db.scalar("PRAGMA freelist_count");
        stats.page_size = db.scalar("PRAGMA page_size");
        counts.reset();
        oldest.reset();
        transaction.commit();
    }
    std::filesystem::path wal = file_.path();
    wal += "-wal";
    stats.file_bytes = size_or_zero(file_.path()) + size_or_zero(wal);
    return stats;
}

}  // namespace nb::host
