// What the Host shows of itself: its metrics, its readiness, and the access
// records of its event sources (docs/metrics.md).
#include <chrono>

#include "host.hpp"

namespace nb::host {

void Host::write_metrics(Exposition &out) const {
    const std::string &workflow = workflow_->name;
    out.family("nb_runs_total", MetricKind::counter, "Runs that ended, by outcome");
    out.value({{"workflow", workflow}, {"outcome", "succeeded"}}, static_cast<double>(runs_succeeded_.value()));
    out.value({{"workflow", workflow}, {"outcome", "failed"}}, static_cast<double>(runs_failed_.value()));
    out.family("nb_run_duration_seconds", MetricKind::histogram,
               "Time from a run's start on a worker to its end");
    write_histogram(out, {{"workflow", workflow}}, run_duration_);
    write_gauge(out, "nb_queue_depth", "Runs waiting in the queue for a worker",
                static_cast<double>(submissions_->waiting()));
    write_gauge(out, "nb_queue_capacity", "Runs the queue holds at most (--queue)",
                static_cast<double>(queue_capacity_));
    if (journal_) {
        write_commits(out, "nb_journal_", "the journal", journal_->commit_metrics());
        write_counter(out, "nb_journal_replayed_total",
                      "Accepted events run again from the journal: at a start, or marked by nb-host journal replay",
                      replayed_.value());
        write_counter(out, "nb_journal_dead_letters_total",
                      "Events kept as failed in the journal: their last retry failed", dead_letters_.value());
    }
    if (outage_) {
        if (ingest_) write_commits(out, "nb_broker_", "Redis (a batch of XADDs to their replies)", ingest_->commit_metrics());
        if (consumer_) {
            write_counter(out, "nb_broker_replayed_total",
                          "Entries taken back from Redis's pending lists to run again (claimed from a stopped "
                          "worker, or redelivered after an outage)",
                          consumer_->replayed());
            write_counter(out, "nb_broker_dead_letters_total", "Entries moved to the dead letters",
                          consumer_->dead_letters());
        }
        write_counter(out, "nb_broker_reconnects_total", "Outages of Redis that ended with a link connecting again",
                      outage_->reconnects());
    }
}

std::vector<ReadinessCheck> Host::readiness() const {
    std::vector<ReadinessCheck> checks;
    const bool listens = !broker_ || broker_->role != BrokerRole::worker;
    if (listens) checks.push_back({"listeners", listened_ ? "" : "not every event source has started listening"});
    if (journal_) checks.push_back({"journal", journal_->failing()});
    if (outage_) checks.push_back({"broker", outage_->problem()});
    return checks;
}

// [thread-safe] Usually a plugin's server thread, once an answer was sent.
// `record` is borrowed for the call: copied into the access log's buffer.
void Host::access_record(const nb_host_t *host, const nb_node_t *node, const nb_access_record_t *record) {
    if (!host || !record) return;
    const Host &self = *static_cast<Host *>(host->host_data);
    if (!self.access_log_) return;
    const std::string *node_id = nullptr;
    if (node && self.workflow_) {
        const NodeIndex index = self.workflow_->index_of(node);
        if (index < self.workflow_->nodes.size()) node_id = &self.workflow_->nodes[index].id;
    }
    self.access_log_->record(node_id, *record);
}

}  // namespace nb::host
