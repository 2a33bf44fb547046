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
#include "event_copy.hpp"
#include "run_queue.hpp"
#include "run_stats.hpp"

namespace nb::host {

// A node's start failed; what() names the node and carries its last_error.
class ListenError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The host side of the ABI: the nb_host_t every node gets, the run queue its
// triggers feed and the workers that execute runs.
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

    // [main-thread] Takes the workflow and starts `workers` threads serving a
    // queue of at most `capacity` runs.
    void start_runs(Workflow workflow, std::size_t workers, std::size_t capacity);
    // [main-thread] Starts every event source, in file order. On a failure,
    // stops the ones started and throws ListenError.
    void listen();
    // [main-thread] Idempotent.
    void shutdown();

    const Workflow &workflow() const { return *workflow_; }
    const RunStats &stats() const { return stats_; }
    // [thread-safe] One line on the log stream: "nb-host: LEVEL: [node ID] message".
    void log_line(nb_log_level_t level, const WorkflowNode *node, const std::string &message);

private:
    struct Job {
        std::uint64_t run_id;
        NodeIndex source;
        EventCopy event;
        std::chrono::steady_clock::time_point accepted;
    };

    void run(Job &job);
    void stop_listeners();
    static nb_trigger_result_t trigger(const nb_host_t *host, const nb_node_t *node,
                                       const nb_event_t *event);
    static void log(const nb_host_t *host, const nb_node_t *node, nb_log_level_t level,
                    const char *message);

    std::ostream &log_stream_;
    std::mutex log_mutex_;
    nb_host_t abi_;
    std::optional<Workflow> workflow_;
    std::vector<const WorkflowNode *> listening_;
    std::atomic<std::uint64_t> next_run_id_{1};
    RunStats stats_;
    std::unique_ptr<RunQueue<Job>> queue_;  // last: destroyed (joined) first
};

}  // namespace nb::host
