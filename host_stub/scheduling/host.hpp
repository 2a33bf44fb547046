#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <vector>

#include "../workflow/workflow.hpp"
#include "job.hpp"
#include "run_stats.hpp"
#include "submissions.hpp"

namespace nb::host {

// A node's start failed; what() names the node and carries its last_error.
class ListenError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The host side of the ABI: the nb_host_t every node gets (ABI 1.1, with the
// extensions NB_EXT_ASYNC_TRIGGER and NB_EXT_RUN_REPLY), the run queue its
// triggers and submits feed and the workers that execute runs.
//
// Lifecycle: construct, build a Workflow against abi(), start_runs(), listen();
// shutdown() (or the destructor) stops listeners, drains the queue, joins the
// workers and destroys the nodes, in that order.
class Host {
public:
    explicit Host(std::ostream &log);
    ~Host();
    Host(const Host &) = delete;
    Host &operator=(const Host &) = delete;

    // Stable for the Host's lifetime: node instances keep a pointer to it.
    const nb_host_t &abi() const { return abi_; }

    // [main-thread] Before start_runs: how long a submit that finds the
    // queue full is held before it is refused (default: the 1 s the 1.0
    // trigger waits). For tests.
    void set_hold_wait(std::chrono::milliseconds wait) { hold_wait_ = wait; }
    // [main-thread] Before start_runs: the pacing (QueueLimits) of triggers
    // and submits. For tests.
    void set_pacing(std::size_t depth, std::chrono::microseconds wait) {
        pace_depth_ = depth;
        pace_wait_ = wait;
    }
    // [main-thread] Takes the workflow and starts `workers` threads serving a
    // queue of at most `capacity` runs.
    void start_runs(Workflow workflow, std::size_t workers, std::size_t capacity);
    // [main-thread] Starts every event source, in file order. On a failure,
    // stops the ones started and throws ListenError.
    void listen();
    // [main-thread] Idempotent.
    void shutdown();

    const Workflow &workflow() const { return *workflow_; }
    // The event sources listen() started, in file order.
    const std::vector<const WorkflowNode *> &listening() const { return listening_; }
    const RunStats &stats() const { return stats_; }
    // [thread-safe] One line on the log stream: "nb-host: LEVEL: [node ID] message".
    void log_line(nb_log_level_t level, const WorkflowNode *node, const std::string &message);

private:
    void run(Job &job);
    void stop_listeners();
    // The ABI's entry points: see host.cpp for thread and lifetimes.
    static nb_trigger_result_t trigger(const nb_host_t *host, const nb_node_t *node,
                                       const nb_event_t *event);
    static void log(const nb_host_t *host, const nb_node_t *node, nb_log_level_t level,
                    const char *message);
    static const void *get_extension(const nb_host_t *host, const char *id);
    static void submit(const nb_host_t *host, const nb_node_t *node, const nb_event_t *event,
                       uint32_t flags, const nb_outcome_sink_t *sink);
    static void cancel_pending(const nb_host_t *host, const nb_node_t *node);

    std::ostream &log_stream_;
    std::mutex log_mutex_;
    nb_host_t abi_;
    std::optional<Workflow> workflow_;
    std::vector<const WorkflowNode *> listening_;
    std::atomic<std::uint64_t> next_run_id_{1};
    RunStats stats_;
    std::chrono::milliseconds hold_wait_;
    std::size_t pace_depth_;
    std::chrono::microseconds pace_wait_;
    std::unique_ptr<Submissions> submissions_;  // last: destroyed (joined) first
};

}  // namespace nb::host
