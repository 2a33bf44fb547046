#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace nb::host {

// Counts runs and the time from a trigger accepted to its run finished, in
// log-spaced buckets (about 9% apart), lock-free so workers never wait on it.
class RunStats {
public:
    // [thread-safe]
    void record(std::chrono::nanoseconds accepted_to_finished, bool ok);
    // "runs N (F failed); accepted to finished: p50 X ms, p90 X ms, p99 X ms, max X ms"
    std::string summary() const;

private:
    static constexpr std::size_t kBuckets = 256;
    std::array<std::atomic<std::uint64_t>, kBuckets> buckets_{};
    std::atomic<std::uint64_t> failed_{0};
    std::atomic<std::uint64_t> max_us_{0};
};

}  // namespace nb::host
