#pragma once

#include <memory>
#include <mutex>
#include <optional>

#include <nb/async_trigger.h>

#include "auth/delivery_cache.hpp"
#include "endpoint.hpp"
#include "server/request_handler.hpp"

namespace nb::webhook {

// One request handed to a 1.1 host: the sink the host delivers to, the hold
// on its delivery id, and, once the host has not decided inside submit, the
// parked request's responder. It owns itself from submit until both the
// host's deliver (exactly once, on any thread, or inside submit) and the
// submitting thread are done with it; while it lives, its endpoint counts an
// outcome owed, so the node's stop knows when none can reach it any more.
//
// A host that decides inside submit (nb-host accepting into a queue with
// room, the common case) is answered without parking: no parked request, no
// responder, no cross-thread hand-over.
class PendingOutcome {
public:
    // [server-thread] Submits `event` (borrowed for the call). The answer
    // when the host decided before this returns, or when the node is stopping
    // (503, nothing submitted); else nullopt once the request is parked with
    // `parker` until the outcome or the endpoint's response timeout.
    static std::optional<net::Answer> submit(std::shared_ptr<Endpoint> endpoint,
                                             const nb_event_t &event, net::Parker &parker,
                                             std::optional<auth::DeliveryCache::Claim> claim);

    ~PendingOutcome();
    PendingOutcome(const PendingOutcome &) = delete;
    PendingOutcome &operator=(const PendingOutcome &) = delete;

private:
    // Where the request is, as the submitting thread left it.
    enum class Stage {
        submitting,  // inside submit: an outcome delivered now is kept in `early_`
        parked,      // the responder answers the outcome
        abandoned,   // parking failed: the connection answered 500, the outcome is dropped
    };

    PendingOutcome(std::shared_ptr<Endpoint> endpoint,
                   std::optional<auth::DeliveryCache::Claim> claim) noexcept;

    // [server-thread] After the host's submit returned: the outcome's answer
    // if it came, else parks the request (a throw from park abandons it).
    std::optional<net::Answer> settle_or_park(net::Parker &parker);

    // [thread-safe] nb_outcome_sink_t.deliver.
    static void deliver(const nb_outcome_sink_t *sink, const nb_outcome_t *outcome) noexcept;

    const nb_outcome_sink_t sink_;
    const std::shared_ptr<Endpoint> endpoint_;
    std::optional<auth::DeliveryCache::Claim> claim_;

    std::mutex mutex_;
    Stage stage_ = Stage::submitting;
    bool delivered_ = false;
    std::optional<net::Answer> early_;       // delivered while submitting
    std::optional<net::Responder> responder_;  // once parked
};

}  // namespace nb::webhook
