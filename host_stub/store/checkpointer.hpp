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
// it never quite reaches the WAL's end (the writer appends while it copies),
// so the WAL is never reset and grows. Past 4 times the threshold the writer
// finishes the checkpoint itself between two batches (catch_up): little is
// left to copy, and its next transaction starts the WAL over.
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
    // [the writer's thread] Between two batches: when the WAL has grown past
    // 4 times the threshold, checkpoints what this thread has not copied yet.
    void catch_up(Database &writer);

private:
    static int committed(void *self, sqlite3 *db, const char *name, int wal_pages);
    void serve();

    std::unique_ptr<JournalFile> file_;
    std::mutex mutex_;
    std::condition_variable wake_;
    int wal_pages_ = 0;  // as the last commit left it, when past the threshold
    int writer_wal_pages_ = 0;  // as the last commit left it; the writer's thread only
    bool stopping_ = false;
    std::thread thread_;  // last
};

}  // namespace nb::host
