#include "journal.hpp"

#include <algorithm>

namespace nb::host {

namespace {

using Steady = std::chrono::steady_clock;

std::int64_t unix_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A batch stays one short transaction even when a burst waits.
constexpr std::size_t kBatchOperations = 1000;
constexpr std::size_t kBatchBodyBytes = std::size_t{8} << 20;
constexpr std::chrono::seconds kPruneEvery{10};
// Run results of a batch that failed are tried again this soon, work or not.
constexpr std::chrono::seconds kRetryAfter{1};
constexpr std::int64_t kPruneChunk = 500;
// Run results wait for the next commit of events instead of waking the
// writer, so under load they share its transaction (and its fsync), but
// never longer than this: a crash then runs at most this much again.
constexpr std::chrono::milliseconds kResultsWait{50};

}  // namespace

struct Journal::Statements {
    explicit Statements(Database &db)
        : find_delivery(db, "SELECT expires_at FROM deliveries"
                            " WHERE node = ?1 AND delivery_id = ?2"),
          insert_event(db, "INSERT INTO event_data (node, accepted_at, method, path, remote_addr,"
                           " headers_json, query_json, body, delivery_id, dedupe_window_s)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
          insert_run(db, "INSERT INTO event_runs (event_id) VALUES (?1)"),
          store_delivery(db, "INSERT OR REPLACE INTO deliveries"
                             " (node, delivery_id, event_id, expires_at) VALUES (?1, ?2, ?3, ?4)"),
          finish(db, "UPDATE event_runs SET state = 1, finished_at = ?2, attempts = attempts + 1"
                     " WHERE event_id = ?1"),
          fail_run(db, "UPDATE event_runs SET attempts = attempts + 1, last_error = ?2,"
                       " state = CASE WHEN ?3 THEN 2 ELSE state END,"
                       " finished_at = CASE WHEN ?3 THEN ?4 ELSE finished_at END WHERE event_id = ?1"),
          // Through the event's own key: deliveries has no index on event_id.
          forget_delivery(db, "DELETE FROM deliveries"
                              " WHERE node = (SELECT node FROM event_data WHERE id = ?1)"
                              " AND delivery_id = (SELECT delivery_id FROM event_data WHERE id = ?1)"
                              " AND event_id = ?1"),
          forget_event(db, "DELETE FROM events WHERE id = ?1"),
          prune_oldest(db, "DELETE FROM events WHERE id IN (SELECT event_id FROM event_runs"
                           " WHERE state IN (1, 2) ORDER BY event_id LIMIT ?1)"),
          prune_ended(db, "DELETE FROM events WHERE state IN (1, 2) AND finished_at < ?1"),
          prune_deliveries(db, "DELETE FROM deliveries WHERE expires_at < ?1"),
          page_count(db, "PRAGMA page_count"),
          freelist_count(db, "PRAGMA freelist_count"),
          page_size(db, "PRAGMA page_size") {}

    Statement find_delivery, insert_event, insert_run, store_delivery, finish, fail_run, forget_delivery,
        forget_event, prune_oldest, prune_ended, prune_deliveries, page_count, freelist_count,
        page_size;
};

Journal::Journal(const JournalOptions &options) : path_(options.path), options_(options) {
    // The acknowledger syncs for `full`: SQLite's commits need not.
    file_ = std::make_unique<JournalFile>(path_, JournalAccess::write, JournalSync::normal);
    // The constructor is private: make_unique cannot reach it.
    reader_.reset(new JournalFile(path_, options.sync, JournalFile::Another{}));
    checkpointer_ = std::make_unique<Checkpointer>(
        std::unique_ptr<JournalFile>(new JournalFile(path_, options.sync, JournalFile::Another{})));
    checkpointer_->watch(file_->db());
    try {
        statements_ = std::make_unique<Statements>(file_->db());
    } catch (const SqliteError &error) {
        throw JournalError("cannot use journal " + path_.string() + ": " + error.what());
    }
    acknowledger_ = std::make_unique<Acknowledger>(
        file_->db().wal_path(), options.sync == JournalSync::full,
        [this](std::int64_t id) { forget(id); },
        [this](std::uint64_t operations) {
            {
                std::lock_guard lock(mutex_);
                done_ += operations;
            }
            progress_.notify_all();
        },
        [this](const Acknowledger::Batch &batch, const std::string &why) {
            if (batch.operations == 0) return;  // a wake-up to prune: nothing was tried
            if (why.empty() && !batch.told.empty()) {
                commit_metrics_.observe(Steady::now() - batch.taken, batch.told.size());
            }
            std::lock_guard lock(failing_mutex_);
            failing_ = why;
        });
    writer_ = std::thread(&Journal::write_loop, this);
}

Journal::~Journal() { close(); }

std::string Journal::failing() const {
    std::lock_guard lock(failing_mutex_);
    return failing_;
}

// nullptr once queued; otherwise why not, `operation` left as it was.
const char *Journal::queue(Operation &operation) {
    try {
        std::lock_guard lock(mutex_);
        // Run results still count while the writer drains; appends do not.
        if (operation.kind == Operation::Kind::append ? closing_ : stopped_)
            return "nb-host is shutting down";
        queue_.push_back(std::move(operation));
        ++queued_;
        if (queue_.back().is_result()) {
            // The first one sets the writer's deadline: wake it to see it.
            if (results_since_ != Steady::time_point{})
                return nullptr;
            results_since_ = Steady::now();
        } else {
            ++urgent_;
        }
    } catch (const std::bad_alloc &) {
        return "nb-host is out of memory";
    }
    work_.notify_one();
    return nullptr;
}

void Journal::append(std::unique_ptr<AppendWaiter> waiter) {
    Operation operation{Operation::Kind::append, std::move(waiter), 0, {}, false};
    if (const char *why = queue(operation))
        operation.waiter->failed(why);
}

// A run result that cannot be queued is lost as in a crash: the event runs again.
void Journal::finished(std::int64_t id) {
    Operation operation{Operation::Kind::finished, nullptr, id, {}, false};
    queue(operation);
}

void Journal::failed_run(std::int64_t id, std::string error, bool dead) {
    Operation operation{Operation::Kind::failed_run, nullptr, id, std::move(error), dead};
    queue(operation);
}

void Journal::forget(std::int64_t id) {
    Operation operation{Operation::Kind::forget, nullptr, id, {}, false};
    queue(operation);
}

void Journal::flush() {
    std::unique_lock lock(mutex_);
    std::uint64_t target = queued_;
    if (done_ >= target)
        return;
    flush_until_ = std::max(flush_until_, target);  // the run results before it must not wait
    work_.notify_one();
    progress_.wait(lock, [&] { return done_ >= target; });
}

void Journal::close() noexcept {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
    }
    work_.notify_all();
    if (writer_.joinable())
        writer_.join();
    acknowledger_.reset();
    if (file_)
        Checkpointer::unwatch(file_->db());
    checkpointer_.reset();
    statements_.reset();
    reader_.reset();
    file_.reset();
}

void Journal::write_loop() {
    std::vector<Operation> batch;
    std::vector<Operation> retry;  // run results of a batch that could not commit
    auto next_prune = Steady::now();
    for (;;) {
        std::uint64_t taken = 0;
        Steady::time_point taken_at;
        bool last = false;
        {
            std::unique_lock lock(mutex_);
            // Woken early (a first run result sets a deadline), it looks again.
            const auto retry_at = retry.empty() ? next_prune : Steady::now() + kRetryAfter;
            for (;;) {
                auto wake = std::min(next_prune, retry_at);
                if (results_since_ != Steady::time_point{})
                    wake = std::min(wake, results_since_ + kResultsWait);
                if (urgent_ > 0 || applied_ < flush_until_ || closing_ || Steady::now() >= wake)
                    break;
                work_.wait_until(lock, wake);
            }
            batch = std::move(retry);
            retry.clear();
            taken = take(batch);
            taken_at = Steady::now();
            results_since_ = queue_.empty() ? Steady::time_point{} : Steady::now();
            last = stopped_ = closing_ && queue_.empty();
        }
        if (Steady::now() >= next_prune) {
            prune(unix_ms());
            next_prune = Steady::now() + kPruneEvery;
        }
        Acknowledger::Batch committed;
        committed.taken = taken_at;
        committed.why = batch.empty() ? std::string() : apply(batch, retry);
        committed.operations = taken;
        for (Operation &operation : batch)
            if (operation.waiter)
                committed.told.push_back({std::move(operation.waiter), operation.id});
        batch.clear();
        acknowledger_->push(std::move(committed));
        checkpointer_->catch_up(file_->db());
        {
            std::lock_guard lock(mutex_);
            applied_ += taken;
        }
        if (last)
            return;
    }
}

// Moves what waits into `batch`, up to one transaction's worth.
std::uint64_t Journal::take(std::vector<Operation> &batch) {
    std::uint64_t taken = 0;
    std::size_t body_bytes = 0;
    while (!queue_.empty() && batch.size() < kBatchOperations && body_bytes < kBatchBodyBytes) {
        Operation &next = queue_.front();
        if (next.waiter)
            body_bytes += next.waiter->record().body.size();
        if (!next.is_result())
            --urgent_;
        batch.push_back(std::move(next));
        queue_.pop_front();
        ++taken;
    }
    return taken;
}

// Applies `batch` in one transaction. Returns why its appends failed (empty:
// committed); the run results of a batch that failed go to `retry`.
std::string Journal::apply(std::vector<Operation> &batch, std::vector<Operation> &retry) {
    Statements &s = *statements_;
    std::int64_t now = unix_ms();
    bool appends = false;
    std::uint64_t incoming = 0;
    for (const Operation &operation : batch) {
        if (operation.kind != Operation::Kind::append)
            continue;
        appends = true;
        const EventRecord record = operation.waiter->record();
        incoming += record.body.size() + record.headers_json.size() + record.query_json.size();
    }
    std::string why = appends ? make_room(now, incoming) : std::string();
    try {
        Transaction transaction(file_->db());
        for (Operation &operation : batch) {
            switch (operation.kind) {
            case Operation::Kind::append:
                if (why.empty())
                    operation.id = store(operation.waiter->record(), now);
                break;
            case Operation::Kind::finished:
                s.finish.bind(1, operation.id).bind(2, now).run();
                break;
            case Operation::Kind::failed_run:
                s.fail_run.bind(1, operation.id)
                    .bind(2, operation.error, true)
                    .bind(3, operation.dead ? 1 : 0)
                    .bind(4, now)
                    .run();
                break;
            case Operation::Kind::forget:
                s.forget_delivery.bind(1, operation.id).run();
                s.forget_event.bind(1, operation.id).run();
                break;
            }
        }
        transaction.commit();
        commits_.fetch_add(1, std::memory_order_relaxed);
        const auto stored = std::count_if(batch.begin(), batch.end(), [](const Operation &operation) {
            return operation.kind == Operation::Kind::append && operation.id != 0;
        });
        events_.fetch_add(static_cast<std::uint64_t>(stored), std::memory_order_relaxed);
    } catch (const std::exception &error) {
        for (Operation &operation : batch)
            if (operation.kind != Operation::Kind::append)
                retry.push_back(std::move(operation));
        return std::string("the journal could not commit: ") + error.what();
    }
    return why;
}

// Its new id, or 0 when its delivery id is still live for its node.
std::int64_t Journal::store(const EventRecord &record, std::int64_t now) {
    Statements &s = *statements_;
    bool deduplicated = record.delivery_id && record.dedupe_window_s > 0;
    if (deduplicated) {
        s.find_delivery.bind(1, record.node, true).bind(2, *record.delivery_id, true);
        bool live = s.find_delivery.step() && s.find_delivery.integer(0) > now;
        s.find_delivery.reset();
        if (live)
            return 0;
    }
    Statement &insert = s.insert_event;
    insert.bind(1, record.node, true)
        .bind(2, now)
        .bind(3, record.method, true)
        .bind(4, record.path, true)
        .bind(5, record.remote_addr, true)
        .bind(6, record.headers_json, true)
        .bind(7, record.query_json, true)
        .bind_blob(8, record.body, true)
        .bind(10, std::int64_t{record.dedupe_window_s});
    if (record.delivery_id)
        insert.bind(9, *record.delivery_id, true);
    else
        insert.bind_null(9);
    // Not RETURNING: SQLite gathers its rows in a temporary table per statement.
    insert.run();
    std::int64_t id = file_->db().last_insert_rowid();
    s.insert_run.bind(1, id).run();
    if (deduplicated)
        s.store_delivery.bind(1, record.node, true)
            .bind(2, *record.delivery_id, true)
            .bind(3, id)
            .bind(4, now + std::int64_t{record.dedupe_window_s} * 1000)
            .run();
    return id;
}

std::uint64_t Journal::bytes_in_use() {
    Statements &s = *statements_;
    auto value = [](Statement &pragma) {
        pragma.step();
        auto result = static_cast<std::uint64_t>(pragma.integer(0));
        pragma.reset();
        return result;
    };
    std::uint64_t pages = value(s.page_count) - value(s.freelist_count);
    return pages * value(s.page_size);
}

// Near max_bytes, prunes ended events oldest first to below 80% of it.
// Returns why appends fail: pending events alone fill it.
std::string Journal::make_room(std::int64_t now, std::uint64_t incoming) {
    Statements &s = *statements_;
    std::uint64_t max = options_.max_bytes;
    // Measured once a hundredth of it was appended since, or at every batch
    // once near it: three pragmas per batch cost as much as a few inserts.
    unmeasured_bytes_ += incoming;
    if (!near_full_ && unmeasured_bytes_ < max / 100)
        return {};
    unmeasured_bytes_ = 0;
    try {
        std::uint64_t used = bytes_in_use();
        near_full_ = used >= max / 10 * 8;
        if (used < max / 10 * 9)
            return {};
        Transaction transaction(file_->db());
        while (used >= max / 10 * 8) {
            s.prune_oldest.bind(1, kPruneChunk).run();
            if (file_->db().changes() == 0)
                break;
            used = bytes_in_use();
        }
        s.prune_deliveries.bind(1, now).run();
        transaction.commit();
        used = bytes_in_use();
        if (used < max)
            return {};
        return "the journal is full (" + std::to_string(used) +
               " bytes of pending events; --journal-max " + std::to_string(max) + ")";
    } catch (const SqliteError &) {
        // The batch's own commit meets the same trouble and says so.
        near_full_ = true;
        return {};
    }
}

void Journal::prune(std::int64_t now) {
    Statements &s = *statements_;
    try {
        Transaction transaction(file_->db());
        auto keep = std::chrono::duration_cast<std::chrono::milliseconds>(options_.keep);
        s.prune_ended.bind(1, now - keep.count()).run();
        s.prune_deliveries.bind(1, now).run();
        transaction.commit();
    } catch (const SqliteError &) {
        // Pruned at the next turn instead.
    }
}

}  // namespace nb::host
