#include "run_stats.hpp"

#include <cmath>
#include <cstdio>

namespace nb::host {
namespace {

constexpr double kStepsPerDoubling = 8.0;

std::size_t bucket_of(std::uint64_t micros, std::size_t buckets) {
    const auto i = static_cast<std::size_t>(std::lround(kStepsPerDoubling * std::log2(1.0 + micros)));
    return i < buckets ? i : buckets - 1;
}

double micros_of(std::size_t bucket) { return std::exp2(bucket / kStepsPerDoubling) - 1.0; }

std::string millis(double micros) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f ms", micros / 1000.0);
    return text;
}

}  // namespace

void RunStats::record(std::chrono::nanoseconds accepted_to_finished, bool ok) {
    const auto micros = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(accepted_to_finished).count());
    buckets_[bucket_of(micros, kBuckets)].fetch_add(1, std::memory_order_relaxed);
    if (!ok) failed_.fetch_add(1, std::memory_order_relaxed);
    std::uint64_t seen = max_us_.load(std::memory_order_relaxed);
    while (micros > seen && !max_us_.compare_exchange_weak(seen, micros, std::memory_order_relaxed)) {
    }
}

std::string RunStats::summary() const {
    std::array<std::uint64_t, kBuckets> counts;
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) total += counts[i] = buckets_[i].load();
    std::string out = "runs " + std::to_string(total) + " (" + std::to_string(failed_.load()) +
                      " failed)";
    if (total == 0) return out;
    const auto percentile = [&](double p) {
        const auto rank = static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(total)));
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < kBuckets; ++i)
            if ((seen += counts[i]) >= rank) return micros_of(i);
        return micros_of(kBuckets - 1);
    };
    return out + "; accepted to finished: p50 " + millis(percentile(0.50)) + ", p90 " +
           millis(percentile(0.90)) + ", p99 " + millis(percentile(0.99)) + ", max " +
           millis(static_cast<double>(max_us_.load()));
}

}  // namespace nb::host
