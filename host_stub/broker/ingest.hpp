#pragma once

// Queue mode's ingest: every accepted event goes to its node's stream, with
// its delivery id's key, in one Lua step; its sender is told only once Redis
// answered. One thread pipelines whatever waits, so one round trip (and,
// with appendfsync always, one fsync of Redis's) serves many events.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../store/append_waiter.hpp"
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

private:
    using Batch = std::vector<std::unique_ptr<AppendWaiter>>;
    void write_loop();
    void write(Batch &batch);
    RedisCommand command_for(const AppendWaiter &waiter);
    void tell(AppendWaiter &waiter, const RedisReply &reply);

    IngestSettings settings_;
    std::string max_backlog_;
    LinkKeeper keeper_;
    std::string script_;  // SHA1 on the current link
    std::map<std::string, StreamKeys, std::less<>> keys_;  // by node, the thread's
    std::mutex mutex_;
    std::condition_variable work_, progress_;
    std::deque<std::unique_ptr<AppendWaiter>> queue_;
    std::uint64_t queued_ = 0, told_ = 0;
    bool closing_ = false;
    std::thread thread_;  // last
};

}  // namespace nb::host
