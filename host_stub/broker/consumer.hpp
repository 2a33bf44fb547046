#pragma once

// Queue mode's workers: entries are read from the workflow's streams in the
// consumer group nb-workers and handed to the host to run; a finished one is
// acknowledged and deleted, a failed one claimed back for its retry or moved
// to the dead letters. Entries another worker left idle past --claim-after
// (it stopped mid-run) are taken over with XAUTOCLAIM.
//
// Two threads, each with its own connection: the fetcher (XREADGROUP,
// XAUTOCLAIM), which holds about 100 ms of work (at the rate runs end here,
// at least `prefetch` entries), so that idle workers elsewhere get the rest
// and no entry waits here long enough to be taken over; and the settler (acknowledgements, dead
// letters, claims for retries), which keeps what it could not send while
// Redis is away and sends it once Redis is back.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../observe/instruments.hpp"
#include "../store/journal.hpp"
#include "outage.hpp"
#include "stream_format.hpp"

namespace nb::host {

struct ConsumerSettings {
    std::string workflow;
    std::vector<std::string> nodes;  // the event sources whose streams are read
    std::string name;                // this consumer's, unique in the group
    std::chrono::milliseconds claim_after{30000};
    std::chrono::milliseconds block{1000};  // one XREADGROUP's wait: how soon a stop is noticed
    std::size_t prefetch = 4;  // entries held at least: a few per worker
    unsigned retries = 0;
};

// An entry for the host to run.
struct Delivery {
    std::size_t source;  // index into ConsumerSettings::nodes
    StoredEvent event;   // id: entry_number of the entry; attempts: runs of it before this one
};

class StreamConsumer {
public:
    using Deliver = std::function<void(Delivery &&)>;
    // Connects both links and creates the groups (MKSTREAM). Throws
    // BrokerError. `deliver` is called on the consumer's threads once
    // started, and may block (the host's queue waits for room). `link`,
    // `outage` and `log` outlive it.
    StreamConsumer(const LinkSettings &link, Outage &outage, ConsumerSettings settings, Deliver deliver,
                   const BrokerLog &log);
    ~StreamConsumer();  // close()
    StreamConsumer(const StreamConsumer &) = delete;
    StreamConsumer &operator=(const StreamConsumer &) = delete;

    // [main-thread] Starts fetching and settling: separate from the
    // constructor so that whatever `deliver` reaches is in place first.
    void start();

    const std::vector<std::string> &stream_names() const noexcept { return streams_; }
    // [thread-safe] Entries taken back from Redis's pending lists (claimed
    // from a stopped worker, or redelivered after an outage) to run again.
    std::uint64_t replayed() const noexcept { return replayed_.value(); }
    // [thread-safe] Entries moved to the dead letters.
    std::uint64_t dead_letters() const noexcept { return dead_letters_.value(); }

    // [thread-safe] A delivered entry's run ended, however: room for another.
    void done();
    // [thread-safe] Its run finished: acknowledged and deleted.
    void finished(std::size_t source, std::uint64_t id);
    // [thread-safe] Its last run failed with `error` after `attempts` runs:
    // moved to the dead letters.
    void dead_letter(std::size_t source, std::uint64_t id, std::string error, std::uint32_t attempts);
    // [thread-safe] Its run failed and is retried now: claimed back and
    // delivered again as run `attempts` + 1, unless another worker took it
    // over since its last delivery `idle` ago or more.
    void retry(std::size_t source, std::uint64_t id, std::uint32_t attempts, std::chrono::milliseconds idle);

    // [main-thread] Stops fetching; returns once nothing more is delivered
    // by the fetcher. Idempotent.
    void stop_fetching() noexcept;
    // [main-thread] Sends what waits (while Redis answers, up to about
    // twice --reconnect-max), leaves the group if it holds no entries,
    // joins. Idempotent.
    void close() noexcept;

private:
    struct Settle {
        enum class Kind { ack, dead, retry } kind;
        std::size_t source;
        std::string entry;  // its id, MS-SEQ
        std::string error;           // dead
        std::uint32_t attempts = 0;  // dead, retry
        std::chrono::milliseconds idle{0};  // retry
    };

    void create_groups(RedisLink &link);
    void fetch_loop();
    void claim(RedisLink &link);
    void read_own(RedisLink &link);
    void take_redelivered(RedisLink &link, std::size_t source, const RedisArray &entries,
                          const std::function<std::string(std::size_t)> &say);
    void read_new(RedisLink &link);
    void take(std::size_t source, RedisReply entry, std::uint32_t attempts);
    void settle_loop();
    bool settle(std::vector<Settle> &work);
    void leave_group(RedisLink &link);
    std::size_t room();

    const LinkSettings &link_;
    ConsumerSettings settings_;
    Deliver deliver_;
    const BrokerLog &log_;
    std::vector<std::string> streams_, dead_;
    std::chrono::milliseconds claim_every_;
    std::chrono::steady_clock::time_point next_claim_{};
    LinkKeeper fetch_keeper_, settle_keeper_;
    std::string dead_script_;  // on the settler's link

    std::mutex mutex_;
    std::condition_variable room_, work_;
    std::size_t held_ = 0;  // delivered, not done
    // What the fetcher holds at most: ~100 ms of runs at the rate measured
    // over the last window.
    std::size_t limit_ = 0;
    std::uint64_t done_ = 0, done_before_ = 0;  // runs ended: ever, at the window's start
    std::chrono::steady_clock::time_point window_start_;
    // Delivered and not settled (acknowledged, dead-lettered, or a retry
    // found taken over): (source, entry id).
    std::set<std::pair<std::size_t, std::string>> known_;
    bool connected_before_ = false, reread_own_ = false;  // the fetcher's
    std::deque<Settle> settles_;
    bool stop_fetching_ = false, closing_ = false;
    Counter replayed_, dead_letters_;
    std::thread fetcher_, settler_;  // last
};

}  // namespace nb::host
