// The main thread's reads of the journal, on its own connection so they
// never wait for the writer's queue.

#include <limits>

#include "journal.hpp"

namespace nb::host {

namespace {

// Selected as id, node, attempts, replay, kEventColumns.
StoredEvent stored_event(const Statement &row) {
    StoredEvent event;
    static_cast<EventFields &>(event) = read_event_fields(row, 4);
    event.id = row.integer(0);
    event.node = row.text(1);
    event.attempts = static_cast<std::uint32_t>(row.integer(2));
    return event;
}

}  // namespace

std::vector<StoredEvent> Journal::pending(std::int64_t after, std::size_t limit) {
    return take_rows("state = 0", after, limit);
}

std::vector<StoredEvent> Journal::take_replays(std::size_t limit) {
    return take_rows("replay = 1", 0, limit);
}

// Rows matching `condition` with an id above `after`, oldest first, their
// replay flags cleared. Empty once closed, or when the journal cannot be
// read: the rows stay as they are for a later look. Read without the write
// lock, which is taken only when there is a flag to clear: a poll that finds
// nothing never makes the writer wait.
std::vector<StoredEvent> Journal::take_rows(const char *condition, std::int64_t after,
                                            std::size_t limit) {
    std::vector<StoredEvent> events;
    if (!reader_ || limit == 0)
        return events;
    Database &db = reader_->db();
    std::string where = std::string(" WHERE ") + condition + " AND id > ?1";
    try {
        {
            Transaction read(db, "BEGIN");
            Statement select(db, (std::string("SELECT id, node, attempts, replay, ") + kEventColumns +
                                  " FROM events" + where + " ORDER BY id LIMIT ?2")
                                     .c_str());
            auto most = std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max());
            select.bind(1, after).bind(2, static_cast<std::int64_t>(most));
            bool marked = false;
            while (select.step()) {
                events.push_back(stored_event(select));
                marked = marked || select.integer(3) != 0;
            }
            read.commit();
            if (!marked)
                return events;
        }
        // A flag set again meanwhile is cleared too: its event runs now anyway.
        Transaction write(db);
        Statement clear(db, "UPDATE event_runs SET replay = 0 WHERE event_id = ?1 AND replay = 1");
        for (const StoredEvent &event : events)
            clear.bind(1, event.id).run();
        write.commit();
    } catch (const SqliteError &) {
        events.clear();
    }
    return events;
}

}  // namespace nb::host
