#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <vector>

#include <nb/access_log.h>
#include <nb/async_trigger.h>

#include "../broker/broker_settings.hpp"
#include "../broker/consumer.hpp"
#include "../broker/ingest.hpp"
#include "../observe/access_log.hpp"
#include "../observe/admin_routes.hpp"
#include "../observe/instruments.hpp"
#include "../store/journal.hpp"
#include "../workflow/workflow.hpp"
#include "job.hpp"
#include "retry_timer.hpp"
#include "run_stats.hpp"
#include "submissions.hpp"
#include "unfinished.hpp"

namespace nb::host {

// A node's start failed; what() names the node and carries its last_error.
class ListenError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The host side of the ABI: the nb_host_t every node gets (ABI 1.1, with the
// extensions NB_EXT_ASYNC_TRIGGER, NB_EXT_RUN_REPLY and NB_EXT_RUN_EVENT), the
// run queue its triggers and submits feed and the workers that execute runs.
// With a journal, every event is committed before it is accepted, the host
// dedupes by delivery id (NB_ASYNC_HOST_DEDUPES), and each run's end is
// written back (docs/journal.md).
//
// Lifecycle: construct, build a Workflow against abi(), the set_ and use_
// calls, start_runs(), replay_pending(), listen(); shutdown() (or the
// destructor) stops listeners, drains the queue, joins the workers, closes
// the journal and destroys the nodes, in that order.
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
    // [main-thread] Before start_runs: events are stored in `journal`
    // before they are accepted.
    void use_journal(std::unique_ptr<Journal> journal);
    // [main-thread] Before start_runs: queue mode (docs/broker.md). Events
    // go to Redis streams instead of the queue (roles all and ingest), and
    // runs come from them (all and worker). start_runs connects, and throws
    // BrokerError when it cannot.
    void use_broker(BrokerSettings settings);
    // [main-thread] Before start_runs: a failed run is run again up to
    // `retries` times, the first `delay` after it failed, each next one 4x
    // later than the one before.
    void set_retries(unsigned retries, std::chrono::milliseconds delay) {
        retries_ = retries;
        retry_delay_ = delay;
    }
    // [main-thread] Before start_runs: new events are refused while the
    // events waiting to run hold this many bytes (0: no limit).
    void set_queue_bytes(std::uint64_t bytes) { queue_bytes_limit_ = bytes; }
    // [main-thread] Before the workflow's nodes are created: offers
    // NB_EXT_ACCESS_LOG, whose records go to `log` (which outlives the Host).
    void use_access_log(AccessLog &log) { access_log_ = &log; }
    // [main-thread] Takes the workflow and starts `workers` threads serving a
    // queue of at most `capacity` runs.
    void start_runs(Workflow workflow, std::size_t workers, std::size_t capacity);
    // [main-thread] After start_runs, before listen: queues every event the
    // journal holds as accepted and not finished (at least once: their runs
    // may have started before a crash). Returns how many.
    std::size_t replay_pending();
    // [main-thread] Queues the events `nb-host journal replay` marked since
    // the last call. Returns how many.
    std::size_t take_replays();
    // [main-thread] Starts every event source, in file order (none for a
    // broker's worker). On a failure, stops the ones started and throws
    // ListenError.
    void listen();
    // [main-thread] Idempotent.
    void shutdown();

    // [thread-safe] After start_runs, before shutdown: nb-host's own
    // metrics (docs/metrics.md).
    void write_metrics(Exposition &out) const;
    // [thread-safe] After start_runs, before shutdown: /readyz's checks,
    // listeners (every event source started) and the journal or the broker.
    std::vector<ReadinessCheck> readiness() const;

    const Workflow &workflow() const { return *workflow_; }
    // The event sources listen() started, in file order.
    const std::vector<const WorkflowNode *> &listening() const { return listening_; }
    const RunStats &stats() const { return stats_; }
    // [thread-safe] The events owed their run and the nodes executing now,
    // also while shutdown() waits on a run that never ends.
    const Unfinished &unfinished() const { return unfinished_; }
    const Journal *journal() const { return journal_.get(); }
    // The streams this host's workers read, beside their source nodes; empty
    // without a broker or for an ingest host.
    std::vector<std::pair<std::string, const WorkflowNode *>> consumed() const;
    // [thread-safe] One line on the log stream: "nb-host: LEVEL: [node ID] message".
    void log_line(nb_log_level_t level, const WorkflowNode *node, const std::string &message);

private:
    // A job for an event of node `source`, with the next run id, accepted now
    // and owed its run.
    Job new_job(NodeIndex source, EventCopy event, bool awaited = false);
    void run(Job &job);
    // [worker-thread] After a run of `job` failed with `error`: its retry is
    // scheduled, or (none left) it is a dead letter.
    void retry_or_give_up(Job &job, const std::string &error);
    // Queues `stored` events as replays, waiting for room. Returns how many.
    std::size_t requeue(std::vector<StoredEvent> stored);
    // QUEUE_FULL when `job` would take the queued bytes past --queue-bytes,
    // else ACCEPTED with the job counted.
    nb_trigger_result_t count_bytes(Job &job);
    nb_trigger_result_t trigger_stored(Job job);
    nb_trigger_result_t trigger_brokered(Job job);
    void start_broker(std::size_t workers);
    // The consumer's index of `job`'s source.
    std::size_t consumer_index(const Job &job) const;
    // How long a retry waits after the event's `runs`th run failed.
    std::chrono::milliseconds retry_delay_after(std::uint32_t runs) const;
    // [consumer-thread] An entry from the broker, queued to run.
    void take_delivery(Delivery &&delivery);
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
    static void access_record(const nb_host_t *host, const nb_node_t *node, const nb_access_record_t *record);

    std::ostream &log_stream_;
    std::mutex log_mutex_;
    nb_host_t abi_;
    nb_host_async_trigger_t async_trigger_;
    std::optional<Workflow> workflow_;
    std::vector<const WorkflowNode *> listening_;
    std::atomic<std::uint64_t> next_run_id_{1};
    RunStats stats_;
    std::chrono::milliseconds hold_wait_;
    std::size_t pace_depth_;
    std::chrono::microseconds pace_wait_;
    unsigned retries_ = 0;
    std::chrono::milliseconds retry_delay_{1000};
    std::uint64_t queue_bytes_limit_ = 0;
    std::atomic<std::uint64_t> queued_bytes_{0};
    std::size_t queue_capacity_ = 0;
    AccessLog *access_log_ = nullptr;
    nb_host_access_log_t access_log_ext_{access_record};
    std::atomic<bool> listened_{false};  // listen() started every event source
    Counter runs_succeeded_, runs_failed_;
    DurationHistogram run_duration_{kDurationBounds};
    Counter replayed_, dead_letters_;  // the journal's (the broker's: its consumer counts them)
    Unfinished unfinished_;  // before every holder of a job
    // Retries shutdown left to the journal or the broker: still owed their
    // run, so a stop's message counts them.
    std::vector<Job> left_retries_;
    std::unique_ptr<Journal> journal_;  // closed after the queue drained
    std::optional<BrokerSettings> broker_;
    std::unique_ptr<Outage> outage_;
    BrokerLog broker_log_;
    std::vector<NodeIndex> consumed_;  // the consumer's sources, as workflow nodes
    std::unique_ptr<BrokerIngest> ingest_;      // closed after the listeners
    std::unique_ptr<StreamConsumer> consumer_;  // closed after the queue drained
    std::unique_ptr<Submissions> submissions_;
    std::unique_ptr<RetryTimer> retry_timer_;  // last: closed first
};

}  // namespace nb::host
