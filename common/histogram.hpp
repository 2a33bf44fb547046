#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace nb {

// Bucket bounds in integer base units (nanoseconds, bytes) and how many of
// them make one unit of the exposition (1e9 ns = 1 s, 1 byte = 1 byte).
template <std::size_t N>
struct HistogramBounds {
    std::array<std::uint64_t, N> upper;  // ascending
    double per_unit;
};

// OpenTelemetry's HTTP server buckets (5 ms … 10 s) with 0.1, 0.25, 0.5, 1
// and 2.5 ms below them: our answers take well under a millisecond.
inline constexpr HistogramBounds<19> kDurationBounds{
    {100'000, 250'000, 500'000, 1'000'000, 2'500'000, 5'000'000, 10'000'000, 25'000'000,
     50'000'000, 75'000'000, 100'000'000, 250'000'000, 500'000'000, 750'000'000,
     1'000'000'000, 2'500'000'000, 5'000'000'000, 7'500'000'000, 10'000'000'000},
    1e9};

// Request bodies: 64 B to 16 MiB, by powers of four.
inline constexpr HistogramBounds<10> kBodyBytesBounds{
    {64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216}, 1.0};

// Events in one commit of a journal or broker batch.
inline constexpr HistogramBounds<10> kBatchBounds{
    {1, 2, 4, 8, 16, 32, 64, 128, 256, 512}, 1.0};

// [thread-safe] A histogram any thread observes without a lock (relaxed
// atomics: a scrape may see an observation's bucket before its sum, never
// lose one). Counts per bucket are not cumulative; the last bucket is +Inf.
template <std::size_t N>
class Histogram {
public:
    explicit constexpr Histogram(const HistogramBounds<N> &bounds) noexcept : bounds_(bounds) {}

    void observe(std::uint64_t value) noexcept {
        std::size_t i = 0;
        while (i < N && value > bounds_.upper[i]) ++i;
        buckets_[i].fetch_add(1, std::memory_order_relaxed);
        sum_.fetch_add(value, std::memory_order_relaxed);
    }

    // What a scrape reports: bounds and sum in exposition units.
    struct Snapshot {
        std::array<double, N> upper;
        std::array<std::uint64_t, N + 1> counts;
        double sum;
        std::uint64_t count;
    };
    Snapshot snapshot() const noexcept {
        Snapshot s{};
        for (std::size_t i = 0; i < N; ++i) s.upper[i] = bounds_.upper[i] / bounds_.per_unit;
        for (std::size_t i = 0; i <= N; ++i) {
            s.counts[i] = buckets_[i].load(std::memory_order_relaxed);
            s.count += s.counts[i];
        }
        s.sum = sum_.load(std::memory_order_relaxed) / bounds_.per_unit;
        return s;
    }

private:
    const HistogramBounds<N> &bounds_;
    std::array<std::atomic<std::uint64_t>, N + 1> buckets_{};
    std::atomic<std::uint64_t> sum_{0};
};

}  // namespace nb
