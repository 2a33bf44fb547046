#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "journal_file.hpp"

struct sqlite3;

namespace nb::host {

// Copies the writer's WAL back into the database file on a thread and a
// connection of its own, so that no commit waits for a checkpoint (SQLite's
// automatic one runs inside the commit that crosses its threshold: a stall of
// tens of milliseconds, an fsync with --journal-sync full, for every event
// of that batch). PASSIVE never blocks the writer, but under sustained load
// it rarely catches up with the WAL's end, so the WAL is not reset and grows;
// past 16 times the threshold (64 MiB) a RESTART is tried, which waits for the
// writer's transaction and holds the next one back until it is done. The
// WAL resets once a checkpoint caught up, and is truncated back to 64 MiB.
class Checkpointer {
public:
    // `connection`: another connection to the journal, for this thread only.
    explicit Checkpointer(std::unique_ptr<JournalFile> connection);
    ~Checkpointer();  // stops the thread
    Checkpointer(const Checkpointer &) = delete;
    Checkpointer &operator=(const Checkpointer &) = delete;

    // [main-thread] Replaces `writer`'s automatic checkpoint with this one:
    // each commit on it tells this thread how long the WAL has grown.
    void watch(Database &writer);
    // [main-thread] Undoes watch, before this is destroyed.
    static void unwatch(Database &writer);

private:
    static int committed(void *self, sqlite3 *db, const char *name, int wal_pages);
    void serve();

    std::unique_ptr<JournalFile> file_;
    std::mutex mutex_;
    std::condition_variable wake_;
    int wal_pages_ = 0;  // as the last commit left it, when past the threshold
    bool stopping_ = false;
    std::thread thread_;  // last
};

}  // namespace nb::host
