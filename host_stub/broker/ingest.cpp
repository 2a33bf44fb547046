#include "ingest.hpp"

#include <chrono>

#include "scripts.hpp"

namespace nb::host {
namespace {

// Redis reads this much of a connection per turn of its event loop: a
// lane's batch stops here (at least one event), and the rest waits for
// another lane, to be read in the same turn.
constexpr std::size_t kBatchBytes = 16 * 1024;
// Lanes: with events of about 1 KiB, 8 lanes carry ~100 events per turn of
// Redis's loop (one fsync with appendfsync always), more than 64 senders
// keep waiting (docs/benchmark.md).
constexpr std::size_t kLanes = 8;
// And at most this many events, so that at most kLanes * kMaxBatchEvents
// are on their way at any time.
constexpr std::size_t kMaxBatchEvents = 256;
constexpr std::uint64_t kInFlightMax = kLanes * kMaxBatchEvents;

std::int64_t unix_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::size_t size_of(const EventRecord &r) {
    return r.body.size() + r.headers_json.size() + r.query_json.size() + r.path.size();
}

}  // namespace

BrokerIngest::Lane::Lane(const LinkSettings &link, Outage &outage)
    : keeper(link, outage, [this](RedisLink &l) { script = l.load_script(kIngestScript); }) {}

BrokerIngest::BrokerIngest(const LinkSettings &link, Outage &outage, IngestSettings settings)
    : settings_(std::move(settings)), max_backlog_(std::to_string(settings_.max_backlog)) {
    for (std::size_t i = 0; i < kLanes; ++i) {
        auto lane = std::make_unique<Lane>(link, outage);
        lane->keeper.connect_now();
        lanes_.push_back(std::move(lane));
    }
    for (auto &lane : lanes_) lane->thread = std::thread([this, &l = *lane] { write_loop(l); });
}

BrokerIngest::~BrokerIngest() { close(); }

void BrokerIngest::append(std::unique_ptr<AppendWaiter> waiter) {
    {
        std::lock_guard lock(mutex_);
        if (!closing_) {
            queue_.push_back({++queued_, std::move(waiter)});
            work_.notify_one();
            return;
        }
    }
    waiter->failed("nb-host is shutting down");
}

void BrokerIngest::flush() {
    std::unique_lock lock(mutex_);
    const std::uint64_t until = queued_;
    progress_.wait(lock, [&] {
        return (queue_.empty() || queue_.front().seq > until) && (writing_.empty() || *writing_.begin() > until);
    });
}

void BrokerIngest::close() noexcept {
    {
        std::lock_guard lock(mutex_);
        if (closing_) return;
        closing_ = true;
        work_.notify_all();
    }
    for (auto &lane : lanes_) {
        if (lane->thread.joinable()) lane->thread.join();
    }
}

void BrokerIngest::write_loop(Lane &lane) {
    Batch batch;
    for (;;) {
        std::uint64_t first = 0;
        {
            std::unique_lock lock(mutex_);
            work_.wait(lock, [&] { return closing_ || !queue_.empty(); });
            if (queue_.empty()) return;  // closing, all told
            first = queue_.front().seq;
            std::size_t bytes = 0;
            while (!queue_.empty() && (batch.empty() || bytes < kBatchBytes) && batch.size() < kMaxBatchEvents) {
                bytes += size_of(queue_.front().waiter->record());
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
            writing_.insert(first);
            if (!queue_.empty()) work_.notify_one();  // the rest, for another lane
        }
        write(lane, batch);
        batch.clear();  // destroyed before flush hears of them
        std::lock_guard lock(mutex_);
        writing_.erase(writing_.find(first));
        progress_.notify_all();
    }
}

void BrokerIngest::write(Lane &lane, Batch &batch) {
    RedisLink *link = lane.keeper.get();
    if (!link) {
        for (auto &q : batch) q.waiter->failed("Redis is unreachable; nb-host is reconnecting");
        return;
    }
    std::size_t told = 0;  // each waiter is told once, whatever fails after
    const auto begun = std::chrono::steady_clock::now();
    try {
        if (lane.script.empty()) lane.script = link->load_script(kIngestScript);
        std::map<std::string_view, std::uint64_t> lengths;  // of the batch's streams, as last seen
        {
            std::lock_guard lock(mutex_);
            for (const auto &q : batch) {
                const StreamKeys &keys = keys_of(lane, q.waiter->record().node);
                const auto known = lengths_.find(keys.stream);
                lengths.emplace(keys.stream, known == lengths_.end() ? settings_.max_backlog : known->second);
            }
        }
        RespBatch commands;
        const std::string now = std::to_string(unix_ms());
        for (const auto &q : batch) add_command(lane, commands, *q.waiter, lengths, now);
        for (const auto &stream : lengths) {
            commands.command(2);
            commands.arg("XLEN");
            commands.arg(stream.first);
        }
        std::vector<RedisReply> replies = link->pipeline(commands);
        for (; told < batch.size(); ++told) tell(lane, *batch[told].waiter, replies[told]);
        commit_metrics_.observe(std::chrono::steady_clock::now() - begun, batch.size());
        std::lock_guard lock(mutex_);
        std::size_t i = batch.size();
        for (const auto &stream : lengths) {
            if (is_integer(replies[i])) lengths_[std::string(stream.first)] = static_cast<std::uint64_t>(integer(replies[i]));
            ++i;
        }
    } catch (const std::exception &e) {
        // A lost connection, or a reply that cannot be read (or no memory
        // for one): the link is not trusted any more. The XADDs may have
        // happened: those events run, and a sender that retries with its
        // delivery id hears "duplicate".
        lane.keeper.lost(BrokerError(e.what()));
        for (; told < batch.size(); ++told) {
            batch[told].waiter->failed("the connection to Redis failed; nb-host is reconnecting");
        }
    }
}

const StreamKeys &BrokerIngest::keys_of(Lane &lane, std::string_view node) {
    auto keys = lane.keys.find(node);
    if (keys == lane.keys.end()) keys = lane.keys.emplace(std::string(node), stream_keys(settings_.workflow, node)).first;
    return keys->second;
}

// A plain XADD while the stream is far enough below --max-backlog that the
// events on their way cannot take it past; the Lua step, which checks the
// length itself, near it and for every event with a delivery id to dedupe.
void BrokerIngest::add_command(Lane &lane, RespBatch &commands, const AppendWaiter &waiter,
                               const std::map<std::string_view, std::uint64_t> &lengths, std::string_view now) {
    const EventRecord record = waiter.record();
    const StreamKeys &keys = keys_of(lane, record.node);
    const bool dedupe = record.delivery_id && record.dedupe_window_s > 0;
    const bool roomy = lengths.at(keys.stream) + kInFlightMax < settings_.max_backlog;
    const std::string window = std::to_string(record.dedupe_window_s);
    const EntryPairs fields = entry_pairs(record, now, window);
    if (!dedupe && roomy) {
        commands.command(3 + 2 * fields.count);
        commands.arg("XADD");
        commands.arg(keys.stream);
        commands.arg("*");
    } else {
        commands.command((dedupe ? 7 : 6) + 2 * fields.count);
        commands.arg("EVALSHA");
        commands.arg(lane.script);
        commands.arg(dedupe ? "2" : "1");
        commands.arg(keys.stream);
        if (dedupe) commands.arg(keys.seen + std::string(*record.delivery_id));
        commands.arg(max_backlog_);
        commands.arg(window);
    }
    for (std::size_t i = 0; i < fields.count; ++i) {
        commands.arg(fields.pairs[i].first);
        commands.arg(fields.pairs[i].second);
    }
}

void BrokerIngest::tell(Lane &lane, AppendWaiter &waiter, const RedisReply &reply) {
    if (is_error(reply)) {
        const std::string why = "Redis refused the event: " + error_text(reply);
        if (why.find("NOSCRIPT") != std::string::npos) lane.script.clear();  // flushed: loaded again next batch
        return waiter.failed(why.c_str());
    }
    if (!is_integer(reply)) {
        // An id past 2^44 ms (the year 2527) cannot be a run's event id; the
        // entry is stored all the same and runs.
        return waiter.stored(static_cast<std::int64_t>(entry_number(bulk(reply).value_or("")).value_or(0)));
    }
    if (integer(reply) == 0) return waiter.duplicate();
    const std::string why = "the stream holds --max-backlog (" + max_backlog_ + ") unfinished events";
    waiter.full(why.c_str());
}

}  // namespace nb::host
