#pragma once

// Queue mode's ingest: every accepted event goes to its node's stream, with
// its delivery id's key, in one Lua step; its sender is told only once Redis
// answered. Several connections (lanes), a thread each, pipeline whatever
// waits: Redis reads at most 16 KiB from a connection per turn of its loop,
// and with appendfsync always syncs once per turn, so one fsync serves the
// events of every lane (docs/broker.md, "Throughput").

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../store/append_waiter.hpp"
#include "../observe/instruments.hpp"
#include "outage.hpp"
#include "stream_format.hpp"

namespace nb::host {

struct IngestSettings {
    std::string workflow;  // names the streams
    std::uint64_t max_backlog = 100000;
};

class BrokerIngest {
public:
    // Connects at once and starts the thread. Throws BrokerError.
    // `link` and `outage` outlive it.
    BrokerIngest(const LinkSettings &link, Outage &outage, IngestSettings settings);
    ~BrokerIngest();  // close()
    BrokerIngest(const BrokerIngest &) = delete;
    BrokerIngest &operator=(const BrokerIngest &) = delete;

    // [thread-safe] Never blocks on Redis. The waiter is told stored (its
    // entry as entry_number), duplicate, full (the stream holds
    // --max-backlog entries) or failed (Redis away or refusing), on the
    // ingest thread. After close: failed at once.
    void append(std::unique_ptr<AppendWaiter> waiter);
    // [thread-safe] Returns once every waiter appended before it was told.
    void flush();
    // [main-thread] Writes what waits, tells, joins. Idempotent.
    void close() noexcept;
    // [thread-safe] Each batch Redis answered: from its writing to its
    // senders told, and its events.
    const CommitMetrics &commit_metrics() const noexcept { return commit_metrics_; }

private:
    struct Queued {
        std::uint64_t seq;  // appends so far, this one included
        std::unique_ptr<AppendWaiter> waiter;
    };
    using Batch = std::vector<Queued>;
    // One connection and its thread.
    struct Lane {
        Lane(const LinkSettings &link, Outage &outage);
        LinkKeeper keeper;
        std::string script;  // SHA1 on its current link
        std::map<std::string, StreamKeys, std::less<>> keys;  // by node
        std::thread thread;
    };

    void write_loop(Lane &lane);
    void write(Lane &lane, Batch &batch);
    const StreamKeys &keys_of(Lane &lane, std::string_view node);
    void add_command(Lane &lane, RespBatch &commands, const AppendWaiter &waiter,
                     const std::map<std::string_view, std::uint64_t> &lengths, std::string_view now);
    void tell(Lane &lane, AppendWaiter &waiter, const RedisReply &reply);

    IngestSettings settings_;
    std::string max_backlog_;
    std::mutex mutex_;
    std::condition_variable work_, progress_;
    std::deque<Queued> queue_;
    std::multiset<std::uint64_t> writing_;  // each batch being written: its first seq
    std::map<std::string, std::uint64_t, std::less<>> lengths_;  // XLEN of each stream, as last seen
    std::uint64_t queued_ = 0;
    bool closing_ = false;
    CommitMetrics commit_metrics_;
    std::vector<std::unique_ptr<Lane>> lanes_;  // last: their threads use the above
};

}  // namespace nb::host
