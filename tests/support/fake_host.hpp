#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include <nb/host.h>

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

// An nb_host_t for tests: records every trigger and log line, answers
// triggers with a chosen result, and can hold triggers until released.
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

    // Wait until at least `count` triggers have been entered / are inside the
    // call; false on timeout.
    bool wait_for_triggers(std::size_t count, std::chrono::milliseconds timeout) const;
    bool wait_for_in_progress(std::size_t count, std::chrono::milliseconds timeout) const;

private:
    static nb_trigger_result_t on_trigger(const nb_host_t *host, const nb_node_t *node,
                                          const nb_event_t *event);
    static void on_log(const nb_host_t *host, const nb_node_t *node, nb_log_level_t level,
                       const char *message);

    nb_host_t host_;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    nb_trigger_result_t answer_ = NB_TRIGGER_ACCEPTED;
    bool blocked_ = false;
    std::size_t in_progress_ = 0;
    std::vector<RecordedTrigger> triggers_;
    std::vector<std::string> logs_;
};

}  // namespace nb::test
