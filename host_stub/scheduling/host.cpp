#include "host.hpp"

#include <algorithm>
#include <cstring>
#include <future>
#include <string>

#include <unistd.h>

#include "graph_run.hpp"
#include "log_level.hpp"
#include "outcomes.hpp"
#include "run_reply.hpp"
#include "stored_submit.hpp"
#include "submit_waiter.hpp"

namespace nb::host {
namespace {

// How long a trigger may wait for a slot in a full queue before its sender
// is told 503: well inside any sender's timeout, and what Retry-After says.
constexpr std::chrono::milliseconds kFullQueueWait{1000};
// How long a submit (NB_EXT_ASYNC_TRIGGER) that finds the queue full is held
// for room before it is refused: the same promise to the sender, kept
// without a waiting thread (Submissions).
constexpr std::chrono::milliseconds kHeldSubmitWait = kFullQueueWait;
// Pacing (QueueLimits): measured with the benchmark on 2 cores, 16 waiting
// runs and a wait of 1 ms halve the p99 answer time of a saturated server
// and leave its throughput as it was. A trigger waits; a submit's ACCEPTED
// waits instead, its caller never does (Submissions).
constexpr std::size_t kPaceDepth = 16;
constexpr std::chrono::microseconds kPaceWait{1000};
// Pages of this many pending events are read from the journal at a time.
constexpr std::size_t kReplayPage = 1000;

constexpr nb_outcome_t kQueueBytesFull = refused(
    NB_REFUSED_QUEUE_FULL, "nb-host's queue holds --queue-bytes of events waiting to run");

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

// Unique in the consumer group while this process lives: HOSTNAME:PID.
std::string consumer_name() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) std::strcpy(host, "localhost");
    return std::string(host) + ":" + std::to_string(getpid());
}

}  // namespace

Host::Host(std::ostream &log)
    : log_stream_(log),
      abi_{NB_VERSION_INIT, this, trigger, Host::log, get_extension},
      async_trigger_{0, submit, cancel_pending},
      hold_wait_(kHeldSubmitWait),
      pace_depth_(kPaceDepth),
      pace_wait_(kPaceWait) {}

Host::~Host() { shutdown(); }

void Host::use_journal(std::unique_ptr<Journal> journal) {
    journal_ = std::move(journal);
    async_trigger_.flags = journal_ ? NB_ASYNC_HOST_DEDUPES : 0;
}

void Host::use_broker(BrokerSettings settings) {
    broker_ = std::move(settings);
    async_trigger_.flags = broker_->role != BrokerRole::worker ? NB_ASYNC_HOST_DEDUPES : 0;
}

void Host::start_runs(Workflow workflow, std::size_t workers, std::size_t capacity) {
    workflow_.emplace(std::move(workflow));
    queue_capacity_ = capacity;
    submissions_ = std::make_unique<Submissions>(
        workflow_->nodes.size(), workers, QueueLimits{capacity, kFullQueueWait, pace_depth_, pace_wait_},
        hold_wait_, [this](Job &job) { run(job); },
        // Only host code can throw here (a bad_alloc building a log line):
        // execute_run never does. The run fails alone and is logged as such;
        // an awaited one still owes its outcome.
        [this](Job &job, const char *what) {
            const WorkflowNode &source = workflow_->nodes[job.source];
            if (job.awaited) {
                submissions_->finish(job, run_failed(source.id.c_str(), "host error"));
            }
            log_line(NB_LOG_ERROR, &source, "run " + std::to_string(job.run_id) + " failed: host error: " + what);
        });
    retry_timer_ = std::make_unique<RetryTimer>([this](Job &&job) {
        // In queue mode the entry is claimed back from Redis, unless another
        // worker took it over meanwhile.
        if (!consumer_) return static_cast<void>(submissions_->requeue(std::move(job)));
        consumer_->retry(consumer_index(job), static_cast<std::uint64_t>(job.event_id),
                         job.attempt - 1, retry_delay_after(job.attempt - 1));
    });
    if (broker_) start_broker(workers);
}

void Host::start_broker(std::size_t workers) {
    broker_log_ = [this](bool warning, const std::string &message) {
        log_line(warning ? NB_LOG_WARN : NB_LOG_INFO, nullptr, message);
    };
    outage_ = std::make_unique<Outage>(broker_log_);
    if (broker_->role != BrokerRole::worker) {
        ingest_ = std::make_unique<BrokerIngest>(broker_->link, *outage_,
                                                 IngestSettings{workflow_->name, broker_->max_backlog});
    }
    if (broker_->role == BrokerRole::ingest) return;
    ConsumerSettings settings;
    settings.workflow = workflow_->name;
    for (NodeIndex i = 0; i < workflow_->nodes.size(); ++i) {
        if (!workflow_->nodes[i].is_event_source()) continue;
        consumed_.push_back(i);
        settings.nodes.push_back(workflow_->nodes[i].id);
    }
    settings.name = consumer_name();
    settings.claim_after = broker_->claim_after;
    // Twice the workers: a run waits for none of Redis's round trips, and the
    // rest stays in the stream for idle workers elsewhere.
    settings.prefetch = 2 * workers;
    settings.retries = retries_;
    consumer_ = std::make_unique<StreamConsumer>(broker_->link, *outage_, std::move(settings),
                                                 [this](Delivery &&d) { take_delivery(std::move(d)); }, broker_log_);
    // Only now: a delivery's run reads consumer_ on a worker.
    consumer_->start();
}

void Host::take_delivery(Delivery &&delivery) {
    Job job = new_job(consumed_[delivery.source], EventCopy(delivery.event));
    job.event_id = delivery.event.id;
    job.attempt = delivery.event.attempts + 1;
    // Refused only once closing: the entry stays pending in Redis, and a
    // worker takes it over after --claim-after.
    if (submissions_->requeue(std::move(job)) != NB_TRIGGER_ACCEPTED) consumer_->done();
}

std::size_t Host::consumer_index(const Job &job) const {
    return static_cast<std::size_t>(std::find(consumed_.begin(), consumed_.end(), job.source) - consumed_.begin());
}

// 1, 4, 16... times the first delay.
std::chrono::milliseconds Host::retry_delay_after(std::uint32_t runs) const {
    return retry_delay_ * (std::int64_t{1} << (2 * std::min(runs - 1, 20u)));
}

std::vector<std::pair<std::string, const WorkflowNode *>> Host::consumed() const {
    std::vector<std::pair<std::string, const WorkflowNode *>> streams;
    if (!consumer_) return streams;
    for (std::size_t i = 0; i < consumed_.size(); ++i) {
        streams.emplace_back(consumer_->stream_names()[i], &workflow_->nodes[consumed_[i]]);
    }
    return streams;
}

std::size_t Host::replay_pending() {
    if (!journal_) return 0;
    std::size_t count = 0;
    for (std::int64_t after = 0;;) {
        std::vector<StoredEvent> page = journal_->pending(after, kReplayPage);
        if (page.empty()) return count;
        after = page.back().id;
        count += requeue(std::move(page));
    }
}

std::size_t Host::take_replays() {
    return journal_ ? requeue(journal_->take_replays(kReplayPage)) : 0;
}

std::size_t Host::requeue(std::vector<StoredEvent> stored) {
    std::size_t count = 0;
    for (StoredEvent &event : stored) {
        const auto source = std::find_if(workflow_->nodes.begin(), workflow_->nodes.end(),
                                         [&](const WorkflowNode &node) { return node.id == event.node; });
        if (source == workflow_->nodes.end() || !source->is_event_source()) {
            const std::string why = "event " + std::to_string(event.id) + " came from node \"" + event.node +
                                    "\", which is not an event source of this workflow";
            log_line(NB_LOG_ERROR, nullptr, why);
            journal_->failed_run(event.id, why, true);
            dead_letters_.add();
            continue;
        }
        Job job = new_job(static_cast<NodeIndex>(source - workflow_->nodes.begin()), EventCopy(event));
        job.event_id = event.id;
        job.attempt = event.attempts + 1;
        job.queued = Tally(queued_bytes_, job.event.bytes());
        submissions_->requeue(std::move(job));
        ++count;
    }
    replayed_.add(count);
    return count;
}

void Host::listen() {
    if (broker_ && broker_->role == BrokerRole::worker) return;
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
    listened_ = true;
}

void Host::stop_listeners() {
    // stop returns once no trigger of that node is in progress, so after this
    // loop nothing can be added to the queue.
    for (const WorkflowNode *node : listening_) node->instance->stop(node->instance.get());
    listening_.clear();
}

void Host::shutdown() {
    listened_ = false;
    stop_listeners();
    if (retry_timer_) {
        // Without a journal a retry not run now is lost: it runs at once. A
        // journal keeps it pending for the next start; a broker, for a
        // worker to take over after --claim-after.
        for (Job &job : retry_timer_->close()) {
            if (!journal_ && !consumer_) {
                submissions_->requeue(std::move(job));
            } else {
                left_retries_.push_back(std::move(job));
            }
        }
    }
    if (consumer_) consumer_->stop_fetching();
    if (submissions_) submissions_->close();
    if (consumer_) consumer_->close();
    if (ingest_) ingest_->close();
    if (journal_) journal_->close();
    retry_timer_.reset();
    consumer_.reset();
    submissions_.reset();
    workflow_.reset();
}

Job Host::new_job(NodeIndex source, EventCopy event, bool awaited) {
    return Job{next_run_id_++, source, std::move(event), std::chrono::steady_clock::now(), awaited,
               0, 1, Tally(), unfinished_.owe()};
}

void Host::run(Job &job) {
    job.queued.release();
    const EventView event = job.event.view();
    std::optional<RunReply> reply;
    if (job.awaited) reply.emplace();
    Unfinished::Run progress(unfinished_, job.run_id);
    const auto started = std::chrono::steady_clock::now();
    const RunOutcome outcome = execute_run(*workflow_, job.source, event.get(), job.run_id,
                                           RunContext{reply ? &*reply : nullptr, job.event_id, job.attempt, &progress});
    const auto ended_at = std::chrono::steady_clock::now();
    stats_.record(ended_at - job.accepted, outcome.ok);
    run_duration_.observe(static_cast<std::uint64_t>(std::chrono::nanoseconds(ended_at - started).count()));
    (outcome.ok ? runs_succeeded_ : runs_failed_).add();
    const WorkflowNode &failed = workflow_->nodes[outcome.failed_node];
    if (!outcome.ok) {
        log_line(NB_LOG_ERROR, &failed,
                 "run " + std::to_string(job.run_id) + " failed: " + outcome.message +
                     failure_aftermath(outcome));
    }
    if (outcome.ok && journal_ && job.event_id > 0) journal_->finished(job.event_id);
    if (consumer_) {
        if (outcome.ok) consumer_->finished(consumer_index(job), static_cast<std::uint64_t>(job.event_id));
        consumer_->done();
    }
    const bool retry = !outcome.ok;  // after the awaited outcome, which the first run decides
    if (!job.awaited) {
        if (retry) retry_or_give_up(job, failed.id + ": " + outcome.message);
        return;
    }
    // The first reply wins, even over a failure later in the run: the
    // caller asked for that answer.
    nb_outcome_t ended = outcome_of(NB_OUTCOME_FINISHED);
    if (reply->reply()) {
        ended.kind = NB_OUTCOME_REPLY;
        ended.reply = reply->reply()->get();
    } else if (!outcome.ok) {
        ended = run_failed(failed.id.c_str(), outcome.message.c_str());
    }
    submissions_->finish(job, ended);
    if (retry) retry_or_give_up(job, failed.id + ": " + outcome.message);
}

void Host::retry_or_give_up(Job &job, const std::string &error) {
    const WorkflowNode &source = workflow_->nodes[job.source];
    const bool stored = (journal_ || consumer_) && job.event_id > 0;
    const std::string what = !stored   ? "run " + std::to_string(job.run_id)
                             : journal_ ? "event " + std::to_string(job.event_id)
                                        : "entry " + entry_id_of(static_cast<std::uint64_t>(job.event_id));
    if (job.attempt <= retries_) {
        const auto delay = retry_delay_after(job.attempt);
        if (stored && journal_) journal_->failed_run(job.event_id, error, false);
        const std::uint64_t bytes = job.event.bytes();
        Job again{next_run_id_++, job.source, std::move(job.event), job.accepted, false, job.event_id,
                  job.attempt + 1, Tally(queued_bytes_, bytes), std::move(job.owed)};
        if (retry_timer_->schedule(std::chrono::steady_clock::now() + delay, again)) {
            log_line(NB_LOG_WARN, &source, what + ": retry " + std::to_string(job.attempt) + " of " +
                                               std::to_string(retries_) + " in " +
                                               std::to_string(delay.count()) + " ms");
        } else {
            log_line(NB_LOG_WARN, &source, what + ": not retried: nb-host is shutting down" +
                                               (!stored ? ""
                                                : journal_ ? " (the journal runs it at the next start)"
                                                           : " (a worker takes it over after --claim-after)"));
        }
        return;
    }
    if (!stored) return;
    if (consumer_) {
        consumer_->dead_letter(consumer_index(job), static_cast<std::uint64_t>(job.event_id), error, job.attempt);
        log_line(NB_LOG_ERROR, &source, what + " failed " + std::to_string(job.attempt) +
                                            (job.attempt == 1 ? " time" : " times") +
                                            ": moved to the dead letters (nb-host journal replay --broker runs it again)");
        return;
    }
    journal_->failed_run(job.event_id, error, true);
    dead_letters_.add();
    log_line(NB_LOG_ERROR, &source, what + " failed " + std::to_string(job.attempt) + (job.attempt == 1 ? " time" : " times") +
                                        ": kept as failed (nb-host journal replay runs it again)");
}

void Host::log_line(nb_log_level_t level, const WorkflowNode *node, const std::string &message) {
    std::string line = std::string("nb-host: ") + log_level_name(level) + ": ";
    if (node) line += "[node " + node->id + "] ";
    line += message;
    line += '\n';
    std::lock_guard lock(log_mutex_);
    log_stream_ << line << std::flush;
}

// The 1.0 trigger in queue mode: waits for Redis's answer.
nb_trigger_result_t Host::trigger_brokered(Job job) {
    std::promise<std::pair<StoredTrigger::Result, std::int64_t>> promise;
    auto answered = promise.get_future();
    ingest_->append(std::make_unique<StoredTrigger>(job, workflow_->nodes[job.source].id, std::move(promise)));
    return answered.get().first == StoredTrigger::Result::failed ? NB_TRIGGER_FAILED : NB_TRIGGER_ACCEPTED;
}

// [thread-safe] Usually a plugin's server thread.
nb_trigger_result_t Host::trigger(const nb_host_t *host, const nb_node_t *node,
                                  const nb_event_t *event) {
    auto &self = *static_cast<Host *>(host->host_data);
    if (!self.submissions_ || !self.workflow_ || !event) return NB_TRIGGER_FAILED;
    try {
        const NodeIndex source = self.workflow_->index_of(node);
        if (source == self.workflow_->nodes.size()) return NB_TRIGGER_FAILED;
        Job job = self.new_job(source, EventCopy(*event));
        if (self.count_bytes(job) != NB_TRIGGER_ACCEPTED) return NB_TRIGGER_QUEUE_FULL;
        if (self.journal_) return self.trigger_stored(std::move(job));
        if (self.ingest_) return self.trigger_brokered(std::move(job));
        return self.submissions_->push(std::move(job));
    } catch (...) {
        return NB_TRIGGER_FAILED;
    }
}

nb_trigger_result_t Host::count_bytes(Job &job) {
    const std::uint64_t bytes = job.event.bytes();
    if (queue_bytes_limit_ && queued_bytes_.load(std::memory_order_relaxed) + bytes > queue_bytes_limit_) {
        return NB_TRIGGER_QUEUE_FULL;
    }
    job.queued = Tally(queued_bytes_, bytes);
    return NB_TRIGGER_ACCEPTED;
}

// The 1.0 trigger with a journal: waits for the commit (a 1.0 source waits
// for its answer anyway), then for room, as without one.
nb_trigger_result_t Host::trigger_stored(Job job) {
    std::promise<std::pair<StoredTrigger::Result, std::int64_t>> promise;
    auto committed = promise.get_future();
    journal_->append(std::make_unique<StoredTrigger>(job, workflow_->nodes[job.source].id, std::move(promise)));
    const auto [result, id] = committed.get();
    if (result == StoredTrigger::Result::failed) return NB_TRIGGER_FAILED;
    if (result == StoredTrigger::Result::duplicate) return NB_TRIGGER_ACCEPTED;  // 1.0 has no answer for it
    job.event_id = id;
    const nb_trigger_result_t queued = submissions_->push(std::move(job));
    if (queued != NB_TRIGGER_ACCEPTED) journal_->forget(id);
    return queued;
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

// [thread-safe] Any plugin thread. `id` is borrowed for the call; what is
// returned is static, valid as long as the host (longer).
const void *Host::get_extension(const nb_host_t *host, const char *id) {
    static constexpr nb_host_run_reply_t run_reply{set_reply};
    static constexpr nb_host_run_event_t run_event_ext{run_event};
    if (!host || !id) return nullptr;
    if (std::strcmp(id, NB_EXT_ASYNC_TRIGGER) == 0) return &static_cast<Host *>(host->host_data)->async_trigger_;
    if (std::strcmp(id, NB_EXT_RUN_REPLY) == 0) return &run_reply;
    if (std::strcmp(id, NB_EXT_RUN_EVENT) == 0) return &run_event_ext;
    if (std::strcmp(id, NB_EXT_ACCESS_LOG) == 0) {
        const Host &self = *static_cast<Host *>(host->host_data);
        return self.access_log_ ? &self.access_log_ext_ : nullptr;
    }
    return nullptr;
}

// [thread-safe] Usually a plugin's server thread; never blocks on the queue or
// on runs (Submissions). `event` is borrowed for the call and copied; `sink`
// until its deliver, which may come before this returns.
void Host::submit(const nb_host_t *host, const nb_node_t *node, const nb_event_t *event,
                  uint32_t flags, const nb_outcome_sink_t *sink) {
    if (!sink || !sink->deliver) return;  // nowhere to tell: nothing is kept
    auto &self = *static_cast<Host *>(host->host_data);
    if (!self.submissions_ || !self.workflow_) {
        const nb_outcome_t outcome = refused(NB_REFUSED_SHUTTING_DOWN, "nb-host is not running a workflow");
        return sink->deliver(sink, &outcome);
    }
    const NodeIndex source = self.workflow_->index_of(node);
    if (source == self.workflow_->nodes.size() || !event) {
        const nb_outcome_t outcome = refused(
            NB_REFUSED_SHUTTING_DOWN, event ? "the node is not part of nb-host's workflow" : "no event");
        return sink->deliver(sink, &outcome);
    }
    try {
        Job job = self.new_job(source, EventCopy(*event), (flags & NB_SUBMIT_AWAIT_RUN) != 0);
        if (self.count_bytes(job) != NB_TRIGGER_ACCEPTED) return sink->deliver(sink, &kQueueBytesFull);
        if (self.ingest_) {
            if (job.awaited) {
                const nb_outcome_t outcome = refused(
                    NB_REFUSED_STORE_FAILING, "respond=when_finished cannot be answered in queue mode (--broker)");
                return sink->deliver(sink, &outcome);
            }
            return self.ingest_->append(
                std::make_unique<BrokeredSubmit>(std::move(job), self.workflow_->nodes[source].id, *sink));
        }
        if (!self.journal_) return self.submissions_->submit(std::move(job), *sink);
        self.journal_->append(std::make_unique<StoredSubmit>(*self.submissions_, *self.journal_, std::move(job),
                                                             self.workflow_->nodes[source].id, *sink));
    } catch (...) {
        // Nothing was kept: append takes its waiter only once queued.
        const nb_outcome_t outcome = refused(NB_REFUSED_STORE_FAILING, "nb-host could not copy the event");
        sink->deliver(sink, &outcome);
    }
}

// [main-thread] From the node's stop. Returns once every outcome owed to
// `node` was delivered (CANCELLED) and no deliver for it runs (Submissions).
void Host::cancel_pending(const nb_host_t *host, const nb_node_t *node) {
    auto &self = *static_cast<Host *>(host->host_data);
    if (!self.submissions_ || !self.workflow_) return;
    const NodeIndex index = self.workflow_->index_of(node);
    if (index >= self.workflow_->nodes.size()) return;
    // Events of the node still being committed reach Submissions first.
    if (self.journal_) self.journal_->flush();
    if (self.ingest_) self.ingest_->flush();
    self.submissions_->cancel_pending(index);
}

}  // namespace nb::host
