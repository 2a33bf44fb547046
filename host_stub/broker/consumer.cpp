#include "consumer.hpp"

#include <algorithm>
#include <map>

#include <Poco/Exception.h>

#include "scripts.hpp"

namespace nb::host {
namespace {

// An entry whose workers stopped mid-run is run again; once it was delivered
// this many times more than its runs may fail (--retries), it is taken to
// kill its workers and goes to the dead letters instead.
constexpr std::uint32_t kStoppedWorkerRuns = 3;
// XAUTOCLAIM looks this often, within these bounds, at most.
constexpr std::chrono::milliseconds kMinClaimEvery{50}, kMaxClaimEvery{5000};
// The fetcher holds this long of runs (at the rate they end), this many at most.
constexpr std::chrono::milliseconds kRateWindow{100};
constexpr std::size_t kMaxHeld = 1024;
// A consumer's own pending entries are read back this many at a time.
constexpr std::size_t kOwnPage = 1000;

std::int64_t unix_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

StreamConsumer::StreamConsumer(const LinkSettings &link, Outage &outage, ConsumerSettings settings,
                               Deliver deliver, const BrokerLog &log)
    : link_(link),
      settings_(std::move(settings)),
      deliver_(std::move(deliver)),
      log_(log),
      claim_every_(std::clamp(settings_.claim_after / 2, kMinClaimEvery, kMaxClaimEvery)),
      fetch_keeper_(link, outage,
                    [this](RedisLink &l) {
                        create_groups(l);
                        reread_own_ = connected_before_;
                        connected_before_ = true;
                    }),
      settle_keeper_(link, outage, [this](RedisLink &l) { dead_script_ = l.load_script(kDeadLetterScript); }) {
    limit_ = settings_.prefetch;
    window_start_ = std::chrono::steady_clock::now();
    for (const std::string &node : settings_.nodes) {
        StreamKeys keys = stream_keys(settings_.workflow, node);
        streams_.push_back(std::move(keys.stream));
        dead_.push_back(std::move(keys.dead));
    }
    fetch_keeper_.connect_now();
    settle_keeper_.connect_now();
}

void StreamConsumer::start() {
    fetcher_ = std::thread([this] { fetch_loop(); });
    settler_ = std::thread([this] { settle_loop(); });
}

StreamConsumer::~StreamConsumer() { close(); }

void StreamConsumer::create_groups(RedisLink &link) {
    for (const std::string &stream : streams_) {
        try {
            link.call(words({"XGROUP", "CREATE", stream, kWorkerGroup, "0", "MKSTREAM"}));
        } catch (const RedisReplyError &e) {
            if (std::string(e.what()).rfind("BUSYGROUP", 0) != 0) throw;
        }
    }
}

std::size_t StreamConsumer::room() {
    std::unique_lock lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (now - window_start_ >= kRateWindow) {
        // Runs that ended per window, one window's worth held: fast runs
        // fetch in big batches (few round trips, one fsync each), slow ones
        // a few at a time.
        const double windows = std::chrono::duration<double>(now - window_start_) / kRateWindow;
        const auto ended = static_cast<std::size_t>(static_cast<double>(done_ - done_before_) / windows);
        limit_ = std::clamp(ended, settings_.prefetch, kMaxHeld);
        done_before_ = done_;
        window_start_ = now;
    }
    room_.wait(lock, [&] { return stop_fetching_ || held_ < limit_; });
    return stop_fetching_ ? 0 : limit_ - held_;
}

void StreamConsumer::done() {
    std::lock_guard lock(mutex_);
    if (held_ > 0) --held_;
    ++done_;
    room_.notify_all();
}

void StreamConsumer::fetch_loop() {
    while (room() > 0) {
        RedisLink *link = fetch_keeper_.get();
        if (!link) {
            std::unique_lock lock(mutex_);
            room_.wait_until(lock, fetch_keeper_.next_attempt(), [&] { return stop_fetching_; });
            continue;
        }
        try {
            if (reread_own_) {
                read_own(*link);
                reread_own_ = false;
            }
            if (std::chrono::steady_clock::now() >= next_claim_) {
                claim(*link);
                next_claim_ = std::chrono::steady_clock::now() + claim_every_;
            }
            read_new(*link);
        } catch (const BrokerLost &e) {
            fetch_keeper_.lost(e);
        } catch (const BrokerError &e) {
            // A stream or group deleted under us (NOGROUP): made again on
            // the next connection.
            log_(true, std::string("broker: ") + e.what() + "; connecting again");
            fetch_keeper_.lost(e);
        } catch (const std::exception &e) {
            // Poco's parse errors, or no memory for an event: what was
            // fetched stays pending, for this or another worker.
            const BrokerError garbled(std::string("a fetch failed: ") + e.what());
            log_(true, std::string("broker: ") + garbled.what() + "; connecting again");
            fetch_keeper_.lost(garbled);
        }
    }
}

void StreamConsumer::read_new(RedisLink &link) {
    const std::size_t wanted = room();
    if (wanted == 0) return;
    RedisCommand command = words({"XREADGROUP", "GROUP", kWorkerGroup, settings_.name, "COUNT",
                                  std::to_string(wanted), "BLOCK", std::to_string(settings_.block.count()),
                                  "STREAMS"});
    for (const std::string &stream : streams_) command.add(stream);
    for (std::size_t i = 0; i < streams_.size(); ++i) command.add(std::string(">"));
    RedisReply reply = link.call(command);
    auto &streams = array(reply);
    for (std::size_t s = 0; s < count(streams); ++s) {
        auto &pair = array(element(streams, s));
        const std::string key = bulk(element(pair, 0)).value_or("");
        const auto source = std::find(streams_.begin(), streams_.end(), key) - streams_.begin();
        auto &entries = array(element(pair, 1));
        for (std::size_t e = 0; e < count(entries); ++e) {
            take(static_cast<std::size_t>(source), std::move(entries[e]), 0);
        }
    }
}

void StreamConsumer::claim(RedisLink &link) {
    const std::string idle = std::to_string(settings_.claim_after.count());
    for (std::size_t source = 0; source < streams_.size(); ++source) {
        const std::size_t wanted = room();
        if (wanted == 0) return;
        const RedisReply reply = link.call(words({"XAUTOCLAIM", streams_[source], kWorkerGroup, settings_.name,
                                                  idle, "0-0", "COUNT", std::to_string(wanted)}));
        take_redelivered(link, source, array(element(array(reply), 1)), [&](std::size_t n) {
            return "took over " + std::to_string(n) + " entries of " + streams_[source] +
                   " idle past --claim-after (their worker stopped, or runs longer than that)";
        });
    }
}

// After Redis was away, this consumer's own pending entries that it does not
// hold are those whose delivery or acknowledgement was lost on the way: run
// now rather than after --claim-after.
void StreamConsumer::read_own(RedisLink &link) {
    for (std::size_t source = 0; source < streams_.size(); ++source) {
        const RedisReply reply = link.call(words({"XREADGROUP", "GROUP", kWorkerGroup, settings_.name, "COUNT",
                                                  std::to_string(kOwnPage), "STREAMS", streams_[source], "0"}));
        const auto &streams = array(reply);
        if (count(streams) == 0) continue;
        take_redelivered(link, source, array(element(array(element(streams, 0)), 1)), [&](std::size_t n) {
            return std::to_string(n) + " entries of " + streams_[source] +
                   " were delivered while Redis went away: running them now";
        });
    }
}

// Takes those of `entries` (id and fields each) this consumer does not hold,
// as runs after as many deliveries as Redis counted (XPENDING, this one
// included), after logging what `say` makes of how many.
void StreamConsumer::take_redelivered(RedisLink &link, std::size_t source, const RedisArray &entries,
                                      const std::function<std::string(std::size_t)> &say) {
    std::vector<RedisReply> fresh;
    std::vector<RedisCommand> asks;
    for (std::size_t e = 0; e < count(entries); ++e) {
        const RedisReply &entry = element(entries, e);
        const std::string id = bulk(element(array(entry), 0)).value_or("");
        if (count(array(element(array(entry), 1))) == 0) continue;  // deleted meanwhile
        {
            std::lock_guard lock(mutex_);
            if (known_.count({source, id})) continue;
        }
        fresh.push_back(entry);
        asks.push_back(words({"XPENDING", streams_[source], kWorkerGroup, id, id, "1"}));
    }
    if (fresh.empty()) return;
    replayed_.add(fresh.size());
    const std::vector<RedisReply> pending = link.pipeline(asks);
    log_(false, "broker: " + say(fresh.size()));
    for (std::size_t e = 0; e < fresh.size(); ++e) {
        std::uint32_t deliveries = 1;
        if (!is_error(pending[e]) && count(array(pending[e])) > 0) {
            deliveries = static_cast<std::uint32_t>(integer(element(array(element(array(pending[e]), 0)), 3)));
        }
        take(source, std::move(fresh[e]), deliveries > 0 ? deliveries - 1 : 0);
    }
}

// `attempts`: deliveries of the entry before this one.
void StreamConsumer::take(std::size_t source, RedisReply entry, std::uint32_t attempts) {
    auto &pair = array(entry);
    const std::string id = bulk(element(pair, 0)).value_or("");
    const auto number = entry_number(id);
    if (attempts > settings_.retries + kStoppedWorkerRuns || !number) {
        std::string why = number ? "delivered " + std::to_string(attempts + 1) +
                                       " times without finishing (its workers stopped mid-run)"
                                 : "its id does not fit a run's 64-bit event id";
        log_(true, "broker: entry " + id + " of " + streams_[source] + " moved to the dead letters: " + why);
        dead_letters_.add();
        std::lock_guard lock(mutex_);
        settles_.push_back({Settle::Kind::dead, source, id, std::move(why), attempts});
        work_.notify_one();
        return;
    }
    Delivery delivery{source, {}};
    static_cast<EventFields &>(delivery.event) = read_fields(std::move(array(element(pair, 1)))).event;
    delivery.event.id = static_cast<std::int64_t>(*number);
    delivery.event.node = settings_.nodes[source];
    delivery.event.attempts = attempts;
    {
        std::lock_guard lock(mutex_);
        ++held_;
        known_.insert({source, id});
    }
    deliver_(std::move(delivery));
}

void StreamConsumer::finished(std::size_t source, std::uint64_t id) {
    std::lock_guard lock(mutex_);
    settles_.push_back({Settle::Kind::ack, source, entry_id_of(id), {}, 0});
    work_.notify_one();
}

void StreamConsumer::dead_letter(std::size_t source, std::uint64_t id, std::string error, std::uint32_t attempts) {
    dead_letters_.add();
    std::lock_guard lock(mutex_);
    settles_.push_back({Settle::Kind::dead, source, entry_id_of(id), std::move(error), attempts});
    work_.notify_one();
}

void StreamConsumer::retry(std::size_t source, std::uint64_t id, std::uint32_t attempts,
                           std::chrono::milliseconds idle) {
    std::lock_guard lock(mutex_);
    settles_.push_back({Settle::Kind::retry, source, entry_id_of(id), {}, attempts, idle});
    work_.notify_one();
}

void StreamConsumer::settle_loop() {
    std::vector<Settle> work;
    std::chrono::steady_clock::time_point give_up{};
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            work_.wait(lock, [&] { return closing_ || !settles_.empty(); });
            if (settles_.empty()) return;
            if (closing_ && give_up == std::chrono::steady_clock::time_point{}) {
                const auto wait = std::max(link_.reconnect_max, std::chrono::milliseconds(1000));
                give_up = std::chrono::steady_clock::now() + 2 * wait;
            }
            work.assign(std::make_move_iterator(settles_.begin()), std::make_move_iterator(settles_.end()));
            settles_.clear();
        }
        try {
            if (settle(work)) continue;
        } catch (const std::exception &e) {
            log_(true, std::string("broker: Redis's answer to acknowledgements could not be read: ") + e.what());
            continue;
        }
        // Redis is away: keep the work for when it is back.
        std::unique_lock lock(mutex_);
        settles_.insert(settles_.begin(), std::make_move_iterator(work.begin()), std::make_move_iterator(work.end()));
        if (closing_ && std::chrono::steady_clock::now() >= give_up) {
            log_(true, "broker: " + std::to_string(settles_.size()) +
                           " acknowledgements not sent at exit: those entries run again after --claim-after");
            settles_.clear();
            return;
        }
        work_.wait_until(lock, std::min(settle_keeper_.next_attempt(),
                                        std::chrono::steady_clock::now() + std::chrono::milliseconds(100)));
    }
}

// Sends `work` in one round trip; false (work kept) when Redis is away.
bool StreamConsumer::settle(std::vector<Settle> &work) {
    RedisLink *link = settle_keeper_.get();
    if (!link) return false;
    std::map<std::size_t, std::vector<std::string>> acks;  // ids by stream
    RespBatch commands;
    std::vector<const Settle *> retries;  // beside commands: the retry each XCLAIM is for
    const std::string now = std::to_string(unix_ms());
    for (const Settle &s : work) {
        if (s.kind == Settle::Kind::ack) {
            acks[s.source].push_back(s.entry);
        } else if (s.kind == Settle::Kind::dead) {
            commands.add(words({"EVALSHA", dead_script_, "2", streams_[s.source], dead_[s.source],
                                kWorkerGroup, s.entry, s.error, std::to_string(s.attempts), now}));
            retries.push_back(nullptr);
        } else {
            commands.add(words({"XCLAIM", streams_[s.source], kWorkerGroup, settings_.name,
                                std::to_string(s.idle.count()), s.entry}));
            retries.push_back(&s);
        }
    }
    // Acknowledged and deleted together, so the stream holds only
    // unfinished work: no result of one is needed by the other, so a
    // transaction does it, cheaper than a script.
    for (const auto &[source, ids] : acks) {
        commands.command(1);
        commands.arg("MULTI");
        commands.command(3 + ids.size());
        commands.arg("XACK");
        commands.arg(streams_[source]);
        commands.arg(kWorkerGroup);
        for (const std::string &id : ids) commands.arg(id);
        commands.command(2 + ids.size());
        commands.arg("XDEL");
        commands.arg(streams_[source]);
        for (const std::string &id : ids) commands.arg(id);
        commands.command(1);
        commands.arg("EXEC");
        retries.insert(retries.end(), 4, nullptr);
    }
    std::vector<RedisReply> replies;
    try {
        replies = link->pipeline(commands);
    } catch (const BrokerError &e) {
        settle_keeper_.lost(e);
        return false;
    }
    {
        // Settled: no longer held. A retry is held again if its claim succeeds.
        std::lock_guard lock(mutex_);
        for (const Settle &s : work) known_.erase({s.source, s.entry});
    }
    for (std::size_t i = 0; i < replies.size(); ++i) {
        if (is_error(replies[i])) {
            const std::string why = error_text(replies[i]);
            log_(true, "broker: Redis refused an acknowledgement or claim: " + why);
            if (why.rfind("NOSCRIPT", 0) == 0) {
                settle_keeper_.lost(BrokerError("Redis forgot queue mode's scripts"));
                return false;
            }
            continue;
        }
        if (!retries[i]) continue;
        auto &claimed = array(replies[i]);
        if (count(claimed) > 0) take(retries[i]->source, std::move(claimed[0]), retries[i]->attempts);
    }
    return true;
}

void StreamConsumer::stop_fetching() noexcept {
    {
        std::lock_guard lock(mutex_);
        stop_fetching_ = true;
        room_.notify_all();
    }
    if (fetcher_.joinable()) fetcher_.join();
}

void StreamConsumer::close() noexcept {
    stop_fetching();
    {
        std::lock_guard lock(mutex_);
        if (closing_) return;
        closing_ = true;
        work_.notify_one();
    }
    if (settler_.joinable()) settler_.join();
    try {
        if (RedisLink *link = settle_keeper_.get()) leave_group(*link);
    } catch (const BrokerError &) {
        // Still a member: harmless, XINFO CONSUMERS lists it idle.
    }
}

// Consumers come and go with their processes; one without pending entries
// is removed from the group so that XINFO CONSUMERS shows the live ones.
void StreamConsumer::leave_group(RedisLink &link) {
    for (const std::string &stream : streams_) {
        const RedisReply pending = link.call(words({"XPENDING", stream, kWorkerGroup, "-", "+", "1", settings_.name}));
        if (count(array(pending)) == 0) link.call(words({"XGROUP", "DELCONSUMER", stream, kWorkerGroup, settings_.name}));
    }
}

}  // namespace nb::host
