#pragma once

// What nb-host counts with: atomics any thread bumps without a lock, read
// at a scrape.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "exposition.hpp"
#include "histogram.hpp"

namespace nb::host {

// [thread-safe] Only grows.
class Counter {
public:
    void add(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

using DurationHistogram = Histogram<kDurationBounds.upper.size()>;
using BatchHistogram = Histogram<kBatchBounds.upper.size()>;

// [thread-safe] One store's commits (the journal's, the broker's): how long
// each took for the events it carried, and how many it carried.
struct CommitMetrics {
    DurationHistogram duration{kDurationBounds};
    BatchHistogram events{kBatchBounds};

    void observe(std::chrono::steady_clock::duration took, std::uint64_t event_count) noexcept {
        duration.observe(static_cast<std::uint64_t>(std::chrono::nanoseconds(took).count()));
        events.observe(event_count);
    }
};

template <std::size_t N>
void write_histogram(Exposition &out, const MetricLabels &labels, const Histogram<N> &histogram) {
    const auto snapshot = histogram.snapshot();
    out.histogram(labels, snapshot.upper.data(), snapshot.counts.data(), N, snapshot.sum);
}

// Families of one sample each, without labels.
void write_counter(Exposition &out, const char *name, const char *help, std::uint64_t value);
void write_gauge(Exposition &out, const char *name, const char *help, double value);
// NAME_commit_duration_seconds and NAME_commit_events, e.g. nb_journal_.
void write_commits(Exposition &out, const std::string &prefix, const char *store, const CommitMetrics &commits);

}  // namespace nb::host
