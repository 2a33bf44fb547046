#include "ingest.hpp"

#include <chrono>

#include "scripts.hpp"

namespace nb::host {
namespace {

// Events written in one round trip at most: big enough to group a burst,
// small enough that the first of them is not kept waiting by the last.
constexpr std::size_t kMaxBatch = 512;

std::int64_t unix_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

BrokerIngest::BrokerIngest(const LinkSettings &link, Outage &outage, IngestSettings settings)
    : settings_(std::move(settings)),
      max_backlog_(std::to_string(settings_.max_backlog)),
      keeper_(link, outage, [this](RedisLink &l) { script_ = l.load_script(kIngestScript); }) {
    keeper_.connect_now();
    thread_ = std::thread([this] { write_loop(); });
}

BrokerIngest::~BrokerIngest() { close(); }

void BrokerIngest::append(std::unique_ptr<AppendWaiter> waiter) {
    {
        std::lock_guard lock(mutex_);
        if (!closing_) {
            queue_.push_back(std::move(waiter));
            ++queued_;
            work_.notify_one();
            return;
        }
    }
    waiter->failed("nb-host is shutting down");
}

void BrokerIngest::flush() {
    std::unique_lock lock(mutex_);
    const std::uint64_t until = queued_;
    progress_.wait(lock, [&] { return told_ >= until; });
}

void BrokerIngest::close() noexcept {
    {
        std::lock_guard lock(mutex_);
        if (closing_) return;
        closing_ = true;
        work_.notify_one();
    }
    if (thread_.joinable()) thread_.join();
}

void BrokerIngest::write_loop() {
    Batch batch;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            work_.wait(lock, [&] { return closing_ || !queue_.empty(); });
            if (queue_.empty()) return;  // closing, all told
            while (!queue_.empty() && batch.size() < kMaxBatch) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        write(batch);
        const std::size_t told = batch.size();
        batch.clear();  // destroyed before flush hears of them
        std::lock_guard lock(mutex_);
        told_ += told;
        progress_.notify_all();
    }
}

void BrokerIngest::write(Batch &batch) {
    RedisLink *link = keeper_.get();
    if (!link) {
        for (auto &waiter : batch) waiter->failed("Redis is unreachable; nb-host is reconnecting");
        return;
    }
    std::vector<RedisCommand> commands;
    try {
        if (script_.empty()) script_ = link->load_script(kIngestScript);
    } catch (const BrokerError &e) {
        keeper_.lost(e);
        for (auto &waiter : batch) waiter->failed("the connection to Redis failed; nb-host is reconnecting");
        return;
    }
    commands.reserve(batch.size());
    for (const auto &waiter : batch) commands.push_back(command_for(*waiter));
    try {
        std::vector<RedisReply> replies = link->pipeline(commands);
        for (std::size_t i = 0; i < batch.size(); ++i) tell(*batch[i], replies[i]);
    } catch (const BrokerError &e) {
        keeper_.lost(e);
        // The XADDs may have happened: those events run, and a sender that
        // retries with its delivery id hears "duplicate".
        for (auto &waiter : batch) waiter->failed("the connection to Redis failed; nb-host is reconnecting");
    }
}

RedisCommand BrokerIngest::command_for(const AppendWaiter &waiter) {
    const EventRecord record = waiter.record();
    auto keys = keys_.find(record.node);
    if (keys == keys_.end()) {
        keys = keys_.emplace(std::string(record.node), stream_keys(settings_.workflow, record.node)).first;
    }
    const bool dedupe = record.delivery_id && record.dedupe_window_s > 0;
    RedisCommand command;
    command.add(std::string("EVALSHA")).add(script_).add(std::string(dedupe ? "2" : "1")).add(keys->second.stream);
    if (dedupe) command.add(keys->second.seen + std::string(*record.delivery_id));
    command.add(max_backlog_).add(std::to_string(record.dedupe_window_s));
    add_fields(command, record, unix_ms());
    return command;
}

void BrokerIngest::tell(AppendWaiter &waiter, const RedisReply &reply) {
    if (is_error(reply)) {
        const std::string why = "Redis refused the event: " + error_text(reply);
        if (why.find("NOSCRIPT") != std::string::npos) script_.clear();  // flushed: loaded again next batch
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
