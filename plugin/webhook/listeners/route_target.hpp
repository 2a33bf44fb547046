#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include <nb/host.h>
#include <nb/node.h>

#include "auth/gate.hpp"

namespace nb::webhook {

// What a route leads to: one started webhook node, frozen at start, plus a
// count of the requests currently being handled for it so that stop can wait
// for them. Shared by the node and every handler serving it.
class RouteTarget {
public:
    RouteTarget(const nb_host_t *host, const nb_node_t *node, std::string node_id,
                std::string path, std::uint64_t max_body_bytes,
                std::shared_ptr<auth::Gate> gate = auth::open_gate())
        : host(host), node(node), node_id(std::move(node_id)), path(std::move(path)),
          max_body_bytes(max_body_bytes), gate(std::move(gate)) {}

    const nb_host_t *const host;
    const nb_node_t *const node;
    const std::string node_id;
    const std::string path;
    const std::uint64_t max_body_bytes;
    const std::shared_ptr<auth::Gate> gate;  // never null

    // Lock-free on the request path: the mutex is only taken when the count
    // drops to zero, to wake a stop that may be waiting for it.
    void enter() noexcept { in_flight_.fetch_add(1, std::memory_order_relaxed); }
    void leave() {
        if (in_flight_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            std::lock_guard lock(mutex_);
            idle_.notify_all();
        }
    }
    // Blocks until no request of this node is being handled.
    void wait_idle() {
        std::unique_lock lock(mutex_);
        idle_.wait(lock, [this] { return in_flight_.load(std::memory_order_acquire) == 0; });
    }

private:
    std::mutex mutex_;
    std::condition_variable idle_;
    std::atomic<unsigned> in_flight_{0};
};

// Proof that a request is in flight for a target, from routing until the
// handler is destroyed.
class InFlightTicket {
public:
    explicit InFlightTicket(std::shared_ptr<RouteTarget> target) : target_(std::move(target)) {
        target_->enter();
    }
    InFlightTicket(InFlightTicket &&) noexcept = default;
    InFlightTicket(const InFlightTicket &) = delete;
    InFlightTicket &operator=(const InFlightTicket &) = delete;
    InFlightTicket &operator=(InFlightTicket &&) = delete;
    ~InFlightTicket() {
        if (target_) target_->leave();
    }

    const RouteTarget &target() const noexcept { return *target_; }

private:
    std::shared_ptr<RouteTarget> target_;
};

}  // namespace nb::webhook
