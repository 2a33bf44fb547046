#include "instruments.hpp"

namespace nb::host {

void write_counter(Exposition &out, const char *name, const char *help, std::uint64_t value) {
    out.family(name, MetricKind::counter, help);
    out.value({}, static_cast<double>(value));
}

void write_gauge(Exposition &out, const char *name, const char *help, double value) {
    out.family(name, MetricKind::gauge, help);
    out.value({}, value);
}

void write_commits(Exposition &out, const std::string &prefix, const char *store, const CommitMetrics &commits) {
    const std::string of = std::string(" of ") + store;
    out.family(prefix + "commit_duration_seconds", MetricKind::histogram,
               "Time from a batch of events taken for a commit" + of + " to its senders told");
    write_histogram(out, {}, commits.duration);
    out.family(prefix + "commit_events", MetricKind::histogram, "Events per commit" + of);
    write_histogram(out, {}, commits.events);
}

}  // namespace nb::host
