#include "fake_host.hpp"

namespace nb::test {

namespace {
std::string text(const char *data, std::size_t len) { return data ? std::string(data, len) : ""; }
std::string text(const char *data) { return data ? std::string(data) : ""; }
}  // namespace

FakeHost::FakeHost()
    : host_{NB_VERSION_INIT, this, &FakeHost::on_trigger, &FakeHost::on_log,
            &FakeHost::on_get_extension} {}

void FakeHost::answer(nb_trigger_result_t result) {
    std::lock_guard lock(mutex_);
    answer_ = result;
}

void FakeHost::block_triggers() {
    std::lock_guard lock(mutex_);
    blocked_ = true;
}

void FakeHost::unblock_triggers() {
    std::lock_guard lock(mutex_);
    blocked_ = false;
    changed_.notify_all();
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

void FakeHost::offer_run_reply(nb_reply_result_t result) {
    std::lock_guard lock(mutex_);
    reply_offered_ = true;
    reply_result_ = result;
}

std::vector<RecordedReply> FakeHost::replies() const {
    std::lock_guard lock(mutex_);
    return replies_;
}

bool FakeHost::wait_for_triggers(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return triggers_.size() >= count; });
}

bool FakeHost::wait_for_in_progress(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return in_progress_ >= count; });
}

nb_trigger_result_t FakeHost::on_trigger(const nb_host_t *host, const nb_node_t *node,
                                         const nb_event_t *event) {
    auto &self = *static_cast<FakeHost *>(host->host_data);
    RecordedTrigger record;
    record.entered = std::chrono::steady_clock::now();
    record.node = node;
    record.method = text(event->method);
    record.path = text(event->path);
    record.body = text(event->body, event->body_len);
    record.headers_json = text(event->headers_json, event->headers_json_len);
    record.query_json = text(event->query_json, event->query_json_len);
    record.remote_addr = text(event->remote_addr);

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

void FakeHost::on_log(const nb_host_t *host, const nb_node_t *, nb_log_level_t level,
                      const char *message) {
    auto &self = *static_cast<FakeHost *>(host->host_data);
    std::lock_guard lock(self.mutex_);
    self.logs_.push_back({level, text(message)});
}

const void *FakeHost::on_get_extension(const nb_host_t *host, const char *id) {
    auto &self = *static_cast<FakeHost *>(host->host_data);
    std::lock_guard lock(self.mutex_);
    const bool reply = self.reply_offered_ && id && std::string(id) == NB_EXT_RUN_REPLY;
    return reply ? &self.run_reply_ : nullptr;
}

nb_reply_result_t FakeHost::on_set_reply(const nb_host_t *host, const nb_run_t *run,
                                         const nb_reply_t *reply) {
    auto &self = *static_cast<FakeHost *>(host->host_data);
    RecordedReply record;
    record.run = run;
    record.status = reply->status;
    record.content_type = text(reply->content_type);
    for (std::uint32_t i = 0; i < reply->header_count; ++i) {
        record.headers.emplace_back(text(reply->headers[i].name), text(reply->headers[i].value));
    }
    record.body = text(reply->body, reply->body_len);
    std::lock_guard lock(self.mutex_);
    self.replies_.push_back(std::move(record));
    return self.reply_result_;
}

}  // namespace nb::test
