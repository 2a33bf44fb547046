#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nb/access_log.h>
#include <nb/async_trigger.h>
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
    std::string delivery_id;            // from NB_EXT_DELIVERY, "" when none
    std::uint32_t dedupe_window_s = 0;  // from NB_EXT_DELIVERY
    std::uint32_t flags = 0;            // submit's flags; 0 for a trigger
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
    bool during_execute = false;  // `run` was between enter_execute and leave_execute
};

// One NB_EXT_ACCESS_LOG record as the fake host saw it, every field copied.
struct RecordedAccess {
    const nb_node_t *node = nullptr;  // null: the request reached no node
    std::string client;
    std::string method;
    std::string path;
    std::uint16_t port = 0;
    std::uint16_t status = 0;
    std::uint64_t body_bytes = 0;
    std::uint64_t duration_ns = 0;
    std::string delivery_id;
    std::string refusal;
};

struct RecordedLog {
    nb_log_level_t level;
    std::string message;
};

// What a submit with NB_SUBMIT_AWAIT_RUN is told once "its run" ends.
struct RunEnd {
    nb_outcome_kind_t kind = NB_OUTCOME_FINISHED;  // FINISHED, REPLY or RUN_FAILED
    std::uint32_t status = 200;                    // REPLY: the reply
    std::string content_type;                      // REPLY: "" gives NULL
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string failed_node;  // RUN_FAILED
    std::string message;      // RUN_FAILED
};

// An nb_host_t for tests: records every trigger and log line, answers
// triggers with a chosen result, and can hold triggers until released.
// A 1.1 host offering no extension, so event sources use trigger, until
// offer_run_reply; made with async, it offers NB_EXT_ASYNC_TRIGGER too, and
// its submits are recorded and held the same way, their outcome delivered
// inline, or by unblock_triggers() on its caller's thread, or by
// cancel_pending (CANCELLED, accepted for an AWAIT_RUN one: "its run goes on").
// Thread-safe; must outlive every node created with host().
class FakeHost {
public:
    explicit FakeHost(bool async = false);
    ~FakeHost();
    FakeHost(const FakeHost &) = delete;
    FakeHost &operator=(const FakeHost &) = delete;

    const nb_host_t *host() const noexcept { return &host_; }

    // What the next triggers return (ACCEPTED by default).
    void answer(nb_trigger_result_t result);

    // The outcome of later submits with NB_SUBMIT_AWAIT_RUN that answer()
    // accepts.
    void end_runs_with(RunEnd end);

    // Where a submit's outcome not held is delivered: on the submitting
    // thread (the default); on a thread of its own that submit joins before
    // it returns (from another thread, yet before submit returned); or on a
    // thread of its own racing submit's return (joined by the destructor).
    enum class Delivery { inline_call, other_thread_joined, other_thread_racing };
    void deliver_on(Delivery where);

    // While blocked, trigger waits inside the call until unblock(), and a
    // submit's outcome is held until then.
    void block_triggers();
    void unblock_triggers();

    // Submits whose outcome is held; cancel_pending calls made.
    std::size_t held_outcomes() const;
    std::size_t cancel_calls() const;

    std::vector<RecordedTrigger> triggers() const;
    std::size_t trigger_count() const;
    std::size_t triggers_in_progress() const;
    std::vector<std::string> logs() const;
    std::vector<RecordedLog> log_entries() const;

    // From now on each log line is also written to `out`, one write per line:
    // "LEVEL: [NODE_TYPE] message" (nb-conformance's --verbose shows them).
    void print_logs_to(std::FILE *out);

    // From now on get_extension offers NB_EXT_RUN_REPLY, whose set_reply
    // records the reply and answers `result`. Call before creating the node:
    // nodes may look the extension up once.
    void offer_run_reply(nb_reply_result_t result);
    std::vector<RecordedReply> replies() const;

    // From now on get_extension offers NB_EXT_ACCESS_LOG, whose record()
    // keeps a copy of each record. Call before starting the node: a node
    // looks it up at start.
    void offer_access_log();
    std::vector<RecordedAccess> access_records() const;
    // Wait until at least `count` records came; false on timeout.
    bool wait_for_access_records(std::size_t count, std::chrono::milliseconds timeout) const;

    // A test that calls execute itself brackets it with these, so that each
    // set_reply is recorded as made inside an execute of `run` or not (the
    // ABI refuses a reply from outside execute).
    void enter_execute(const nb_run_t *run);
    void leave_execute(const nb_run_t *run);

    // Submits made, and what broke "one deliver per submit" so far: a sink
    // handed to submit again while its outcome was still owed (the host would
    // deliver to it twice), and, at the time of the call, outcomes submitted
    // but never delivered. Empty when every sink got exactly one deliver.
    std::size_t submit_count() const;
    std::vector<std::string> sink_problems() const;

    // Wait until at least `count` triggers have been entered / are inside the
    // call; false on timeout.
    bool wait_for_triggers(std::size_t count, std::chrono::milliseconds timeout) const;
    bool wait_for_in_progress(std::size_t count, std::chrono::milliseconds timeout) const;

private:
    struct Held {
        const nb_node_t *node;
        std::uint32_t flags;
        const nb_outcome_sink_t *sink;
    };

    RecordedTrigger record(const nb_node_t *node, const nb_event_t *event) const;
    void join_racing();
    void deliver(const Held &held, nb_trigger_result_t result, const RunEnd &end);
    void deliver(const Held &held, const nb_outcome_t &outcome);
    static void on_submit(const nb_host_t *host, const nb_node_t *node, const nb_event_t *event,
                          std::uint32_t flags, const nb_outcome_sink_t *sink);
    static void on_cancel_pending(const nb_host_t *host, const nb_node_t *node);
    static nb_trigger_result_t on_trigger(const nb_host_t *host, const nb_node_t *node,
                                          const nb_event_t *event);
    static void on_log(const nb_host_t *host, const nb_node_t *node, nb_log_level_t level,
                       const char *message);
    static const void *on_get_extension(const nb_host_t *host, const char *id);
    static nb_reply_result_t on_set_reply(const nb_host_t *host, const nb_run_t *run,
                                          const nb_reply_t *reply);
    static void on_access_record(const nb_host_t *host, const nb_node_t *node,
                                 const nb_access_record_t *record);

    nb_host_t host_;
    const nb_host_run_reply_t run_reply_{&FakeHost::on_set_reply};
    const nb_host_access_log_t access_log_{&FakeHost::on_access_record};
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    nb_trigger_result_t answer_ = NB_TRIGGER_ACCEPTED;
    bool blocked_ = false;
    std::size_t in_progress_ = 0;
    std::vector<RecordedTrigger> triggers_;
    std::vector<RecordedLog> logs_;
    std::FILE *print_logs_to_ = nullptr;
    bool reply_offered_ = false;
    nb_reply_result_t reply_result_ = NB_REPLY_SET;
    std::vector<RecordedReply> replies_;
    bool access_log_offered_ = false;
    std::vector<RecordedAccess> access_records_;
    std::multiset<const nb_run_t *> executing_;
    const bool async_;
    RunEnd run_end_;
    std::vector<Held> held_;
    std::size_t cancel_calls_ = 0;
    std::size_t submits_ = 0;
    std::set<const nb_outcome_sink_t *> owed_sinks_;  // submitted, deliver not yet called
    std::vector<std::string> sink_problems_;
    Delivery delivery_ = Delivery::inline_call;
    std::vector<std::thread> racing_;  // other_thread_racing deliveries
};

}  // namespace nb::test
