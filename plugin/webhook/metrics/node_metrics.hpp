#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "code_counts.hpp"
#include "histogram.hpp"
#include "refusal.hpp"
#include "server/exchange.hpp"

namespace nb::webhook::metrics {

// [thread-safe] One webhook node's counts, labelled node=<node_id>: every
// exchange that reached its path, whatever its end. Owned by the node from
// create to destroy, so they go on across a stop and start of the instance;
// shared with its started endpoint and the handlers still running.
class NodeMetrics {
public:
    explicit NodeMetrics(std::string node_id) : node_(std::move(node_id)) {}

    const std::string &node() const noexcept { return node_; }

    // [server-thread] One ended exchange, refused for `refusal`.
    void count(const net::Exchange &exchange, Refusal refusal) noexcept {
        requests_.add(exchange.status);
        if (refusal != Refusal::none) {
            refusals_[static_cast<std::size_t>(refusal)].fetch_add(1, std::memory_order_relaxed);
        }
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(exchange.duration);
        duration_.observe(static_cast<std::uint64_t>(ns.count() > 0 ? ns.count() : 0));
        body_bytes_.observe(exchange.body_bytes);
    }

    const CodeCounts &requests() const noexcept { return requests_; }
    std::uint64_t refusals(Refusal refusal) const noexcept {
        return refusals_[static_cast<std::size_t>(refusal)].load(std::memory_order_relaxed);
    }
    const Histogram<kDurationBounds.upper.size()> &duration() const noexcept { return duration_; }
    const Histogram<kBodyBytesBounds.upper.size()> &body_bytes() const noexcept {
        return body_bytes_;
    }

private:
    const std::string node_;
    CodeCounts requests_;
    std::array<std::atomic<std::uint64_t>, kRefusalCount> refusals_{};
    Histogram<kDurationBounds.upper.size()> duration_{kDurationBounds};
    Histogram<kBodyBytesBounds.upper.size()> body_bytes_{kBodyBytesBounds};
};

}  // namespace nb::webhook::metrics
