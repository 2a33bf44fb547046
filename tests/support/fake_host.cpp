#include "fake_host.hpp"

#include <string_view>

#include <nb/delivery.h>
#include <nb/node.h>

#include "log_level.hpp"

namespace nb::test {

namespace {
std::string text(const char *data, std::size_t len) { return data ? std::string(data, len) : ""; }
std::string text(const char *data) { return data ? std::string(data) : ""; }
}  // namespace

FakeHost::FakeHost(bool async)
    : host_{NB_VERSION_INIT, this, &FakeHost::on_trigger, &FakeHost::on_log,
            &FakeHost::on_get_extension},
      async_(async) {}

FakeHost::~FakeHost() { join_racing(); }

void FakeHost::deliver_on(Delivery where) {
    std::lock_guard lock(mutex_);
    delivery_ = where;
}

void FakeHost::join_racing() {
    std::vector<std::thread> racing;
    {
        std::lock_guard lock(mutex_);
        racing.swap(racing_);
    }
    for (std::thread &thread : racing) thread.join();
}

void FakeHost::end_runs_with(RunEnd end) {
    std::lock_guard lock(mutex_);
    run_end_ = std::move(end);
}

std::size_t FakeHost::held_outcomes() const {
    std::lock_guard lock(mutex_);
    return held_.size();
}

std::size_t FakeHost::cancel_calls() const {
    std::lock_guard lock(mutex_);
    return cancel_calls_;
}

void FakeHost::answer(nb_trigger_result_t result) {
    std::lock_guard lock(mutex_);
    answer_ = result;
}

void FakeHost::block_triggers() {
    std::lock_guard lock(mutex_);
    blocked_ = true;
}

void FakeHost::unblock_triggers() {
    std::vector<Held> held;
    nb_trigger_result_t result;
    RunEnd end;
    {
        std::lock_guard lock(mutex_);
        blocked_ = false;
        held.swap(held_);
        result = answer_;
        end = run_end_;
        changed_.notify_all();
    }
    for (const Held &h : held) deliver(h, result, end);
}

std::vector<RecordedTrigger> FakeHost::triggers() const {
    std::lock_guard lock(mutex_);
    return triggers_;
}

std::size_t FakeHost::trigger_count() const {
    std::lock_guard lock(mutex_);
    return triggers_.size();
}

std::size_t FakeHost::triggers_in_progress() const {
    std::lock_guard lock(mutex_);
    return in_progress_;
}

std::vector<std::string> FakeHost::logs() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> messages;
    for (const RecordedLog &entry : logs_) messages.push_back(entry.message);
    return messages;
}

std::vector<RecordedLog> FakeHost::log_entries() const {
    std::lock_guard lock(mutex_);
    return logs_;
}

void FakeHost::print_logs_to(std::FILE *out) {
    std::lock_guard lock(mutex_);
    print_logs_to_ = out;
}

void FakeHost::offer_run_reply(nb_reply_result_t result) {
    std::lock_guard lock(mutex_);
    reply_offered_ = true;
    reply_result_ = result;
}

std::vector<RecordedReply> FakeHost::replies() const {
    std::lock_guard lock(mutex_);
    return replies_;
}

void FakeHost::enter_execute(const nb_run_t *run) {
    std::lock_guard lock(mutex_);
    executing_.insert(run);
}

void FakeHost::leave_execute(const nb_run_t *run) {
    std::lock_guard lock(mutex_);
    const auto it = executing_.find(run);
    if (it != executing_.end()) executing_.erase(it);
}

std::size_t FakeHost::submit_count() const {
    std::lock_guard lock(mutex_);
    return submits_;
}

std::vector<std::string> FakeHost::sink_problems() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> problems = sink_problems_;
    if (!owed_sinks_.empty())
        problems.push_back(std::to_string(owed_sinks_.size()) +
                           " submitted outcome(s) never delivered");
    return problems;
}

bool FakeHost::wait_for_triggers(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return triggers_.size() >= count; });
}

bool FakeHost::wait_for_in_progress(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return in_progress_ >= count; });
}

RecordedTrigger FakeHost::record(const nb_node_t *node, const nb_event_t *event) const {
    RecordedTrigger record;
    record.entered = std::chrono::steady_clock::now();
    record.node = node;
    record.method = text(event->method);
    record.path = text(event->path);
    record.body = text(event->body, event->body_len);
    record.headers_json = text(event->headers_json, event->headers_json_len);
    record.query_json = text(event->query_json, event->query_json_len);
    record.remote_addr = text(event->remote_addr);
    if (nb_version_has(event->abi, 1) && event->get_extension) {
        const auto *delivery = static_cast<const nb_event_delivery_t *>(
            event->get_extension(event, NB_EXT_DELIVERY));
        if (delivery) {
            record.delivery_id = text(delivery->id, delivery->id_len);
            record.dedupe_window_s = delivery->dedupe_window_s;
        }
    }
    return record;
}

void FakeHost::deliver(const Held &held, nb_trigger_result_t result, const RunEnd &end) {
    nb_outcome_t outcome{};
    outcome.abi = NB_VERSION_INIT;
    std::vector<nb_header_field_t> fields;
    nb_reply_t reply{};
    if (result == NB_TRIGGER_QUEUE_FULL) {
        outcome.kind = NB_OUTCOME_REFUSED;
        outcome.refusal = NB_REFUSED_QUEUE_FULL;
    } else if (result == NB_TRIGGER_FAILED) {
        outcome.kind = NB_OUTCOME_REFUSED;
        outcome.refusal = NB_REFUSED_SHUTTING_DOWN;
    } else if (!(held.flags & NB_SUBMIT_AWAIT_RUN)) {
        outcome.kind = NB_OUTCOME_ACCEPTED;
    } else {
        outcome.kind = end.kind;
        outcome.failed_node = end.failed_node.c_str();
        outcome.message = end.message.c_str();
        for (const auto &[name, value] : end.headers) fields.push_back({name.c_str(), value.c_str()});
        reply = {NB_VERSION_INIT,
                 end.status,
                 end.content_type.empty() ? nullptr : end.content_type.c_str(),
                 fields.empty() ? nullptr : fields.data(),
                 static_cast<std::uint32_t>(fields.size()),
                 end.body.data(),
                 end.body.size()};
        outcome.reply = &reply;
    }
    deliver(held, outcome);
}

// Every outcome goes out here: the sink is no longer owed one, and one owed
// no outcome (already delivered) is a broken "exactly once".
void FakeHost::deliver(const Held &held, const nb_outcome_t &outcome) {
    {
        std::lock_guard lock(mutex_);
        if (owed_sinks_.erase(held.sink) == 0)
            sink_problems_.push_back("an outcome was delivered twice to one sink");
    }
    held.sink->deliver(held.sink, &outcome);
}

void FakeHost::on_submit(const nb_host_t *host, const nb_node_t *node, const nb_event_t *event,
                         std::uint32_t flags, const nb_outcome_sink_t *sink) {
    auto &self = *static_cast<FakeHost *>(host->host_data);
    RecordedTrigger record = self.record(node, event);
    record.flags = flags;
    record.returned = record.entered;
    nb_trigger_result_t result;
    RunEnd end;
    std::size_t index;
    {
        std::lock_guard lock(self.mutex_);
        ++self.submits_;
        if (!self.owed_sinks_.insert(sink).second)
            self.sink_problems_.push_back(
                "a sink was handed to submit again while its outcome was still owed");
        index = self.triggers_.size();
        self.triggers_.push_back(std::move(record));
        self.changed_.notify_all();
        if (self.blocked_) {
            self.held_.push_back({node, flags, sink});
            return;
        }
        result = self.answer_;
        end = self.run_end_;
    }
    const Held held{node, flags, sink};
    switch (self.delivery_) {
    case Delivery::inline_call:
        self.deliver(held, result, end);
        break;
    case Delivery::other_thread_joined:
        std::thread([&] { self.deliver(held, result, end); }).join();
        break;
    case Delivery::other_thread_racing: {
        std::lock_guard lock(self.mutex_);
        self.racing_.emplace_back([&self, held, result, end] { self.deliver(held, result, end); });
        return;
    }
    }
    // An inline outcome is part of the call: submit returns only now.
    std::lock_guard lock(self.mutex_);
    self.triggers_[index].returned = std::chrono::steady_clock::now();
}

void FakeHost::on_cancel_pending(const nb_host_t *host, const nb_node_t *node) {
    auto &self = *static_cast<FakeHost *>(host->host_data);
    // Those are owed too: delivered before cancel_pending returns.
    self.join_racing();
    std::vector<Held> cancelled;
    {
        std::lock_guard lock(self.mutex_);
        ++self.cancel_calls_;
        for (auto it = self.held_.begin(); it != self.held_.end();) {
            if (it->node == node) {
                cancelled.push_back(*it);
                it = self.held_.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (const Held &held : cancelled) {
        nb_outcome_t outcome{};
        outcome.abi = NB_VERSION_INIT;
        outcome.kind = NB_OUTCOME_CANCELLED;
        outcome.accepted = (held.flags & NB_SUBMIT_AWAIT_RUN) != 0;
        self.deliver(held, outcome);
    }
}

nb_trigger_result_t FakeHost::on_trigger(const nb_host_t *host, const nb_node_t *node,
                                         const nb_event_t *event) {
    auto &self = *static_cast<FakeHost *>(host->host_data);
    RecordedTrigger record = self.record(node, event);

    std::unique_lock lock(self.mutex_);
    const std::size_t index = self.triggers_.size();
    self.triggers_.push_back(std::move(record));
    ++self.in_progress_;
    self.changed_.notify_all();
    self.changed_.wait(lock, [&] { return !self.blocked_; });
    --self.in_progress_;
    self.triggers_[index].returned = std::chrono::steady_clock::now();
    self.changed_.notify_all();
    return self.answer_;
}

void FakeHost::on_log(const nb_host_t *host, const nb_node_t *node, nb_log_level_t level,
                      const char *message) {
    auto &self = *static_cast<FakeHost *>(host->host_data);
    std::lock_guard lock(self.mutex_);
    self.logs_.push_back({level, text(message)});
    if (!self.print_logs_to_) return;
    const char *type = node && node->descriptor ? node->descriptor->id : nullptr;
    const std::string line = std::string(log_level_name(level)) + ": [" + (type ? type : "no node") + "] " +
                             self.logs_.back().message + "\n";
    std::fwrite(line.data(), 1, line.size(), self.print_logs_to_);
    std::fflush(self.print_logs_to_);
}

const void *FakeHost::on_get_extension(const nb_host_t *host, const char *id) {
    auto &self = *static_cast<FakeHost *>(host->host_data);
    static const nb_host_async_trigger_t async = {0, &FakeHost::on_submit,
                                                  &FakeHost::on_cancel_pending};
    const std::string_view wanted(id ? id : "");
    if (self.async_ && wanted == NB_EXT_ASYNC_TRIGGER) return &async;
    std::lock_guard lock(self.mutex_);
    if (self.access_log_offered_ && wanted == NB_EXT_ACCESS_LOG) return &self.access_log_;
    return self.reply_offered_ && wanted == NB_EXT_RUN_REPLY ? &self.run_reply_ : nullptr;
}

void FakeHost::offer_access_log() {
    std::lock_guard lock(mutex_);
    access_log_offered_ = true;
}

std::vector<RecordedAccess> FakeHost::access_records() const {
    std::lock_guard lock(mutex_);
    return access_records_;
}

bool FakeHost::wait_for_access_records(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return access_records_.size() >= count; });
}

void FakeHost::on_access_record(const nb_host_t *host, const nb_node_t *node,
                                const nb_access_record_t *record) {
    auto &self = *static_cast<FakeHost *>(host->host_data);
    RecordedAccess copy{node,
                        text(record->client),
                        text(record->method),
                        text(record->path),
                        record->port,
                        record->status,
                        record->body_bytes,
                        record->duration_ns,
                        text(record->delivery_id),
                        text(record->refusal)};
    std::lock_guard lock(self.mutex_);
    self.access_records_.push_back(std::move(copy));
    self.changed_.notify_all();
}

nb_reply_result_t FakeHost::on_set_reply(const nb_host_t *host, const nb_run_t *run,
                                         const nb_reply_t *reply) {
    auto &self = *static_cast<FakeHost *>(host->host_data);
    if (!reply) return NB_REPLY_INVALID;  // as the ABI says, rather than a crash
    RecordedReply record;
    record.run = run;
    record.status = reply->status;
    record.content_type = text(reply->content_type);
    for (std::uint32_t i = 0; i < reply->header_count; ++i) {
        record.headers.emplace_back(text(reply->headers[i].name), text(reply->headers[i].value));
    }
    record.body = text(reply->body, reply->body_len);
    std::lock_guard lock(self.mutex_);
    record.during_execute = self.executing_.count(run) > 0;
    self.replies_.push_back(std::move(record));
    return self.reply_result_;
}

}  // namespace nb::test
