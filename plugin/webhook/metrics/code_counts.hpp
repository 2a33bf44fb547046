#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace nb::webhook::metrics {

// [thread-safe] Exchanges counted by answer status, 0 (the client left
// before an answer) to 599, without a lock.
class CodeCounts {
public:
    static constexpr int kCodes = 600;

    void add(int status) noexcept {
        if (status >= 0 && status < kCodes) counts_[status].fetch_add(1, std::memory_order_relaxed);
    }

    // Calls f(status, count) for each status counted at least once, ascending.
    template <typename F>
    void each(F &&f) const {
        for (int status = 0; status < kCodes; ++status) {
            const std::uint64_t count = counts_[status].load(std::memory_order_relaxed);
            if (count > 0) f(status, count);
        }
    }

private:
    std::array<std::atomic<std::uint64_t>, kCodes> counts_{};
};

}  // namespace nb::webhook::metrics
