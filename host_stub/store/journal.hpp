#pragma once

// The embedded journal's writer: every accepted event is committed here
// before its sender is told, by one thread that commits whatever waits as one
// transaction (group commit); the acknowledger then syncs (one fsync for
// every batch committed meanwhile) and tells, while the next batch commits.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "acknowledger.hpp"
#include "append_waiter.hpp"
#include "checkpointer.hpp"
#include "event_fields.hpp"
#include "journal_file.hpp"
#include "../observe/instruments.hpp"

namespace nb::host {

struct JournalOptions {
    std::filesystem::path path;
    JournalSync sync = JournalSync::full;
    // Finished and failed events older than this are pruned.
    std::chrono::seconds keep{7 * 24 * 3600};
    // Near this size (pages in use), finished and failed events are pruned
    // oldest first, whatever their age; when pending ones alone fill it,
    // appends fail ("the journal is full").
    std::uint64_t max_bytes = std::uint64_t{1} << 30;
};

// A stored event read back (replay at start, `journal replay`).
struct StoredEvent : EventFields {
    std::int64_t id = 0;
    std::string node;
    std::uint32_t attempts = 0;  // runs that ended so far
};

class Journal {
public:
    // Opens (or creates) the journal, taking its lock, and starts the writer.
    // Throws JournalError.
    explicit Journal(const JournalOptions &options);
    ~Journal();  // close()
    Journal(const Journal &) = delete;
    Journal &operator=(const Journal &) = delete;

    const std::filesystem::path &path() const noexcept { return path_; }

    // [thread-safe] Queues `waiter` for the next commit. Never blocks on the
    // disk. Appends, forgets and run results are applied in the order they
    // were called: a forget before an append of the same delivery id frees
    // the id for it. After close, the waiter is told failed at once.
    void append(std::unique_ptr<AppendWaiter> waiter);

    // [thread-safe] The run of event `id` succeeded: finished. Committed with
    // a later batch; lost on a crash before it (the event then runs again).
    void finished(std::int64_t id);
    // [thread-safe] A run of event `id` failed with `error`: attempts + 1,
    // last_error; `dead` (no retry left) makes it failed, else it stays pending.
    void failed_run(std::int64_t id, std::string error, bool dead);
    // [thread-safe] Event `id` was stored but refused after all: it and its
    // delivery id are deleted.
    void forget(std::int64_t id);

    // [thread-safe] Returns once everything called before it has been
    // committed (or has failed) and every waiter queued before it was told.
    void flush();

    // [main-thread] Pending events with an id above `after`, oldest first, at
    // most `limit`; their replay flags are cleared. For the replay at start.
    std::vector<StoredEvent> pending(std::int64_t after, std::size_t limit);
    // [main-thread] Events `nb-host journal replay` marked (replay = 1), at
    // most `limit`, their flags cleared in the same transaction.
    std::vector<StoredEvent> take_replays(std::size_t limit);

    // [main-thread] Commits what waits, tells the waiters, joins the writer,
    // releases the lock. Idempotent.
    void close() noexcept;

    // [thread-safe] Transactions committed, and events stored by them, so
    // far: how well the writer groups its commits.
    std::uint64_t commits() const noexcept { return commits_.load(std::memory_order_relaxed); }
    std::uint64_t events_stored() const noexcept { return events_.load(std::memory_order_relaxed); }
    // [thread-safe] Each batch of events, from the writer taking it to its
    // senders told (committed and, with --journal-sync full, synced).
    const CommitMetrics &commit_metrics() const noexcept { return commit_metrics_; }
    // [thread-safe] Why the last batch failed to commit or sync (the journal
    // is full, the disk refused), or "" once one succeeded.
    std::string failing() const;

private:
    // One call, applied by the writer in call order.
    struct Operation {
        enum class Kind { append, finished, failed_run, forget };
        Kind kind;
        std::unique_ptr<AppendWaiter> waiter;  // append
        std::int64_t id = 0;  // its event; for an append, once applied: 0 if a duplicate
        std::string error;    // failed_run
        bool dead = false;    // failed_run
        // A run's result, which waits for a commit rather than causing one.
        bool is_result() const { return kind == Kind::finished || kind == Kind::failed_run; }
    };
    struct Statements;  // the writer's, prepared once

    const char *queue(Operation &operation);
    void write_loop();
    std::uint64_t take(std::vector<Operation> &batch);
    std::string apply(std::vector<Operation> &batch, std::vector<Operation> &retry);
    std::int64_t store(const EventRecord &record, std::int64_t now);
    std::string make_room(std::int64_t now, std::uint64_t incoming);
    std::uint64_t bytes_in_use();
    void prune(std::int64_t now);
    std::vector<StoredEvent> take_rows(const char *condition, std::int64_t after,
                                       std::size_t limit);

    std::filesystem::path path_;
    JournalOptions options_;
    std::unique_ptr<JournalFile> file_;  // the writer's connection
    std::unique_ptr<JournalFile> reader_;  // pending / take_replays, on the main thread
    std::unique_ptr<Checkpointer> checkpointer_;  // watches file_'s WAL
    std::unique_ptr<Statements> statements_;  // on file_, so destroyed first
    std::unique_ptr<Acknowledger> acknowledger_;  // tells what the writer committed
    std::mutex mutex_;
    std::condition_variable work_;      // operations queued, or closing
    std::condition_variable progress_;  // a batch done: flush looks again
    std::deque<Operation> queue_;
    std::uint64_t queued_ = 0;     // operations ever queued
    std::uint64_t applied_ = 0;    // operations ever committed (or failed) by the writer
    std::uint64_t done_ = 0;       // operations ever done: their waiters told
    // make_room's, on the writer thread: bytes appended since it measured the
    // file, and whether it was near --journal-max then (measured at start).
    std::uint64_t unmeasured_bytes_ = 0;
    bool near_full_ = true;
    std::uint64_t urgent_ = 0;     // queued appends and forgets
    std::uint64_t flush_until_ = 0;  // a flush: the writer commits until applied_ reaches it
    std::chrono::steady_clock::time_point results_since_{};  // the oldest run result queued; {} none
    bool closing_ = false;
    bool stopped_ = false;  // the writer took its last batch: run results are dropped
    std::atomic<std::uint64_t> commits_{0};
    std::atomic<std::uint64_t> events_{0};
    CommitMetrics commit_metrics_;
    mutable std::mutex failing_mutex_;
    std::string failing_;
    std::thread writer_;  // last
};

}  // namespace nb::host
