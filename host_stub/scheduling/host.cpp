#include "host.hpp"

#include <string>

#include "graph_run.hpp"

namespace nb::host {
namespace {

// How long a trigger may wait for a slot in a full queue before its sender
// is told 503: well inside any sender's timeout, and what Retry-After says.
constexpr std::chrono::milliseconds kFullQueueWait{1000};
// Pacing (QueueLimits): measured with the benchmark on 2 cores, 16 waiting
// runs and a wait of 1 ms halve the p99 answer time of a saturated server
// and leave its throughput as it was.
constexpr std::size_t kPaceDepth = 16;
constexpr std::chrono::microseconds kPaceWait{1000};

const char *level_name(nb_log_level_t level) {
    switch (level) {
    case NB_LOG_DEBUG: return "debug";
    case NB_LOG_INFO: return "info";
    case NB_LOG_WARN: return "warning";
    case NB_LOG_ERROR: return "error";
    }
    return "log";
}

std::string count_of(std::size_t n, const char *what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

// What else a failed run did, for its one log line: "" when only the named
// node failed and nothing depended on it, else e.g.
// " (1 more node failed, 3 dependent nodes skipped)".
std::string failure_aftermath(const RunOutcome &outcome) {
    std::string parts;
    if (outcome.failed_count > 1) parts = count_of(outcome.failed_count - 1, "more node") + " failed";
    if (outcome.skipped > 0) {
        parts += (parts.empty() ? "" : ", ") + count_of(outcome.skipped, "dependent node") + " skipped";
    }
    return parts.empty() ? parts : " (" + parts + ")";
}

}  // namespace

Host::Host(std::ostream &log) : log_stream_(log), abi_{NB_VERSION_INIT, this, trigger, Host::log, nullptr} {}

Host::~Host() { shutdown(); }

void Host::start_runs(Workflow workflow, std::size_t workers, std::size_t capacity) {
    workflow_.emplace(std::move(workflow));
    queue_ = std::make_unique<RunQueue<Job>>(
        workers, QueueLimits{capacity, kFullQueueWait, kPaceDepth, kPaceWait},
        [this](Job &job) { run(job); },
        // Only host code can throw here (a bad_alloc building a log line):
        // execute_run never does. The run fails alone and is logged as such.
        [this](Job &job, const char *what) {
            log_line(NB_LOG_ERROR, &workflow_->nodes[job.source],
                     "run " + std::to_string(job.run_id) + " failed: host error: " + what);
        });
}

void Host::listen() {
    for (const WorkflowNode &node : workflow_->nodes) {
        if (!node.is_event_source()) continue;
        const nb_node_t *instance = node.instance.get();
        if (instance->start(instance) != NB_OK) {
            const char *message = instance->last_error(instance);
            const std::string why = message ? message : "start failed without a message";
            stop_listeners();
            throw ListenError("node \"" + node.id + "\" (" + node.type->descriptor->id +
                              ") cannot listen: " + why);
        }
        listening_.push_back(&node);
    }
}

void Host::stop_listeners() {
    // stop returns once no trigger of that node is in progress, so after this
    // loop nothing can be added to the queue.
    for (const WorkflowNode *node : listening_) node->instance->stop(node->instance.get());
    listening_.clear();
}

void Host::shutdown() {
    stop_listeners();
    if (queue_) queue_->close();
    queue_.reset();
    workflow_.reset();
}

void Host::run(Job &job) {
    const nb_event_t event = job.event.view();
    const RunOutcome outcome = execute_run(*workflow_, job.source, &event, job.run_id);
    stats_.record(std::chrono::steady_clock::now() - job.accepted, outcome.ok);
    if (!outcome.ok) {
        log_line(NB_LOG_ERROR, &workflow_->nodes[outcome.failed_node],
                 "run " + std::to_string(job.run_id) + " failed: " + outcome.message +
                     failure_aftermath(outcome));
    }
}

void Host::log_line(nb_log_level_t level, const WorkflowNode *node, const std::string &message) {
    std::string line = std::string("nb-host: ") + level_name(level) + ": ";
    if (node) line += "[node " + node->id + "] ";
    line += message;
    line += '\n';
    std::lock_guard lock(log_mutex_);
    log_stream_ << line << std::flush;
}

// [thread-safe] Usually a plugin's server thread.
nb_trigger_result_t Host::trigger(const nb_host_t *host, const nb_node_t *node,
                                  const nb_event_t *event) {
    auto &self = *static_cast<Host *>(host->host_data);
    if (!self.queue_ || !self.workflow_ || !event) return NB_TRIGGER_FAILED;
    try {
        const NodeIndex source = self.workflow_->index_of(node);
        if (source == self.workflow_->nodes.size()) return NB_TRIGGER_FAILED;
        return self.queue_->push(
            Job{self.next_run_id_++, source, EventCopy(*event), std::chrono::steady_clock::now()});
    } catch (...) {
        return NB_TRIGGER_FAILED;
    }
}

// [thread-safe] Any plugin thread; also during create_node, before the
// workflow exists, when the node cannot be named yet.
void Host::log(const nb_host_t *host, const nb_node_t *node, nb_log_level_t level,
               const char *message) {
    auto &self = *static_cast<Host *>(host->host_data);
    try {
        const WorkflowNode *named = nullptr;
        if (self.workflow_ && node) {
            const NodeIndex n = self.workflow_->index_of(node);
            if (n < self.workflow_->nodes.size()) named = &self.workflow_->nodes[n];
        }
        self.log_line(level, named, message ? message : "");
    } catch (...) {
        // Logging must never throw into a plugin.
    }
}

}  // namespace nb::host
