#pragma once

// Redis going away and coming back, told once per outage however many of
// the broker's connections notice it, and each connection's way back:
// attempts 100 ms apart at first, twice as far apart each time after, up to
// --reconnect-max.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "redis_link.hpp"

namespace nb::host {

// A line for the host's log; `warning` false: an info line.
using BrokerLog = std::function<void(bool warning, const std::string &message)>;

struct LinkSettings {
    RedisUrl url;
    std::chrono::milliseconds reply_timeout{10000};
    std::chrono::milliseconds reconnect_max{5000};
};

class Outage {
public:
    explicit Outage(BrokerLog log) : log_(std::move(log)) {}

    // [thread-safe] A link connected; returns the outage count it saw, for lost().
    std::uint64_t connected(const std::string &address);
    // [thread-safe] A link to `address`, connected when `seen` outages had
    // been told, failed: a new outage is told unless this one already was.
    void lost(std::uint64_t seen, const std::string &address, const std::string &why);
    // [thread-safe] What the outage in progress is ("Redis at ADDRESS is
    // unreachable: WHY"), "" when none is.
    std::string problem() const;
    // [thread-safe] Outages ended by a link connecting again.
    std::uint64_t reconnects() const;

private:
    BrokerLog log_;
    mutable std::mutex mutex_;
    std::uint64_t outages_ = 0;  // told so far
    std::uint64_t reconnects_ = 0;
    bool down_ = false;
    std::string problem_;  // while down_
};

// One thread's connection to Redis, made again after it is lost.
class LinkKeeper {
public:
    using Setup = std::function<void(RedisLink &)>;
    // `setup` runs on each new link (scripts, consumer groups) and may throw
    // what the link throws. `settings` and `outage` outlive the keeper.
    LinkKeeper(const LinkSettings &settings, Outage &outage, Setup setup = {});

    // [its thread] Connects now (a start that must fail loudly, or get()'s
    // next attempt): throws what RedisLink and `setup` throw.
    void connect_now();
    // [its thread] The link; connects when it is time to try again. nullptr
    // while Redis stays away: wait() then try again.
    RedisLink *get();
    // [its thread] The link failed with `e`: dropped, told once per outage.
    void lost(const BrokerError &e);
    // When get() will try again (now if connected).
    std::chrono::steady_clock::time_point next_attempt() const { return next_attempt_; }

private:
    const LinkSettings &settings_;
    Outage &outage_;
    Setup setup_;
    std::unique_ptr<RedisLink> link_;
    std::uint64_t seen_ = 0;
    std::chrono::milliseconds backoff_{0};
    std::chrono::steady_clock::time_point next_attempt_{};
};

}  // namespace nb::host
