#pragma once

#include <memory>
#include <optional>

#include <nb/async_trigger.h>

#include "auth/delivery_cache.hpp"
#include "endpoint.hpp"
#include "server/request_handler.hpp"

namespace nb::webhook {

// One request handed to a 1.1 host, parked until the host's outcome: the
// sink the host delivers to, the parked request's responder, and the hold on
// its delivery id. It owns itself from submit until the host's deliver,
// which the ABI calls exactly once (on any thread, or inside submit) and
// which frees it; while it lives, its endpoint counts an outcome owed, so
// the node's stop knows when none can reach it any more.
class PendingOutcome {
public:
    // [server-thread] Submits `event` (borrowed for the call). When the node
    // is stopping nothing is submitted and the request is answered 503.
    static void submit(std::shared_ptr<Endpoint> endpoint, const nb_event_t &event,
                       net::Responder responder,
                       std::optional<auth::DeliveryCache::Claim> claim);

    ~PendingOutcome();
    PendingOutcome(const PendingOutcome &) = delete;
    PendingOutcome &operator=(const PendingOutcome &) = delete;

private:
    PendingOutcome(std::shared_ptr<Endpoint> endpoint, net::Responder responder,
                   std::optional<auth::DeliveryCache::Claim> claim) noexcept;

    // [thread-safe] nb_outcome_sink_t.deliver: answers and frees.
    static void deliver(const nb_outcome_sink_t *sink, const nb_outcome_t *outcome) noexcept;

    const nb_outcome_sink_t sink_;
    const std::shared_ptr<Endpoint> endpoint_;
    const net::Responder responder_;
    std::optional<auth::DeliveryCache::Claim> claim_;
};

}  // namespace nb::webhook
