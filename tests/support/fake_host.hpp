#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nb/host.h>
#include <nb/run_reply.h>

namespace nb::test {

// One trigger call as the fake host saw it, every field copied.
struct RecordedTrigger {
    const nb_node_t *node = nullptr;
    std::string method;
    std::string path;
    std::string body;
    std::string headers_json;
    std::string query_json;
    std::string remote_addr;
    std::chrono::steady_clock::time_point entered;   // when trigger was called
    std::chrono::steady_clock::time_point returned;  // when it was about to return
};

// One set_reply call (NB_EXT_RUN_REPLY) as the fake host saw it, copied.
struct RecordedReply {
    const nb_run_t *run = nullptr;
    std::uint32_t status = 0;
    std::string content_type;  // "" for NULL
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

struct RecordedLog {
    nb_log_level_t level;
    std::string message;
};

// An nb_host_t for tests: records every trigger and log line, answers
// triggers with a chosen result, and can hold triggers until released. It
// offers no extension until offer_run_reply.
// Thread-safe; must outlive every node created with host().
class FakeHost {
public:
    FakeHost();
    FakeHost(const FakeHost &) = delete;
    FakeHost &operator=(const FakeHost &) = delete;

    const nb_host_t *host() const noexcept { return &host_; }

    // What the next triggers return (ACCEPTED by default).
    void answer(nb_trigger_result_t result);

    // While blocked, trigger waits inside the call until unblock().
    void block_triggers();
    void unblock_triggers();

    std::vector<RecordedTrigger> triggers() const;
    std::size_t trigger_count() const;
    std::size_t triggers_in_progress() const;
    std::vector<std::string> logs() const;
    std::vector<RecordedLog> log_entries() const;

    // From now on get_extension offers NB_EXT_RUN_REPLY, whose set_reply
    // records the reply and answers `result`. Call before creating the node:
    // nodes may look the extension up once.
    void offer_run_reply(nb_reply_result_t result);
    std::vector<RecordedReply> replies() const;

    // Wait until at least `count` triggers have been entered / are inside the
    // call; false on timeout.
    bool wait_for_triggers(std::size_t count, std::chrono::milliseconds timeout) const;
    bool wait_for_in_progress(std::size_t count, std::chrono::milliseconds timeout) const;

private:
    static nb_trigger_result_t on_trigger(const nb_host_t *host, const nb_node_t *node,
                                          const nb_event_t *event);
    static void on_log(const nb_host_t *host, const nb_node_t *node, nb_log_level_t level,
                       const char *message);
    static const void *on_get_extension(const nb_host_t *host, const char *id);
    static nb_reply_result_t on_set_reply(const nb_host_t *host, const nb_run_t *run,
                                          const nb_reply_t *reply);

    nb_host_t host_;
    const nb_host_run_reply_t run_reply_{&FakeHost::on_set_reply};
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    nb_trigger_result_t answer_ = NB_TRIGGER_ACCEPTED;
    bool blocked_ = false;
    std::size_t in_progress_ = 0;
    std::vector<RecordedTrigger> triggers_;
    std::vector<RecordedLog> logs_;
    bool reply_offered_ = false;
    nb_reply_result_t reply_result_ = NB_REPLY_SET;
    std::vector<RecordedReply> replies_;
};

}  // namespace nb::test
