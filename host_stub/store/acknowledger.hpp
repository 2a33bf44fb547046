#pragma once

// The journal's second stage: tells the waiters of each committed batch, in
// commit order, on its own thread, so that the writer commits the next batch
// meanwhile. With `sync` it first makes them durable, with one fdatasync of
// the WAL for every batch committed since the last one; the writer's SQLite
// connection runs with synchronous=NORMAL, which never syncs at a commit, so
// the disk's flush and the next batch's inserts overlap instead of adding up.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "append_waiter.hpp"

namespace nb::host {

class Acknowledger {
public:
    struct Told {
        std::unique_ptr<AppendWaiter> waiter;
        std::int64_t id = 0;  // 0: a duplicate
    };
    struct Batch {
        std::vector<Told> told;
        std::string why;              // not empty: nothing of it was stored, every waiter fails
        std::uint64_t operations = 0;  // what the writer took, handed to `done`
        std::chrono::steady_clock::time_point taken{};  // when the writer took it
    };
    // [acknowledger thread] Called after a batch's waiters were told.
    using Done = std::function<void(std::uint64_t operations)>;
    // [acknowledger thread] An event committed but not synced: it is refused, so it must not stay.
    using Forget = std::function<void(std::int64_t id)>;
    // [acknowledger thread] After a batch's waiters were told: why it
    // failed (committed or synced), empty when it is stored.
    using Settled = std::function<void(const Batch &batch, const std::string &why)>;

    // `wal`: the file to sync (opened at the first sync, when it exists).
    Acknowledger(std::filesystem::path wal, bool sync, Forget forget, Done done, Settled settled = {});
    // Tells what waits, then joins.
    ~Acknowledger();
    Acknowledger(const Acknowledger &) = delete;
    Acknowledger &operator=(const Acknowledger &) = delete;

    // [writer thread] Queues a committed (or failed) batch.
    void push(Batch batch) noexcept;

private:
    void serve();
    // Under `lock`, released meanwhile: syncs, then tells `batches` (left empty).
    void acknowledge(std::unique_lock<std::mutex> &lock, std::vector<Batch> &batches);
    // Syncs when `batches` stored anything; why not, or empty.
    std::string make_durable(const std::vector<Batch> &batches);
    void tell(std::vector<Batch> &batches, const std::string &sync_error);

    const std::filesystem::path wal_;
    const bool sync_;
    Forget forget_;
    Done done_;
    Settled settled_;
    int wal_fd_ = -1;
    std::mutex mutex_;
    std::condition_variable changed_;  // queued, told, or stopping
    std::vector<Batch> queue_;
    bool telling_ = false;  // a batch taken from queue_ is being told
    bool stopping_ = false;
    std::thread thread_;  // last
};

}  // namespace nb::host
