#include "pending_outcome.hpp"

#include "outcome_answer.hpp"

namespace nb::webhook {

PendingOutcome::PendingOutcome(std::shared_ptr<Endpoint> endpoint, net::Responder responder,
                               std::optional<auth::DeliveryCache::Claim> claim) noexcept
    : sink_{this, &PendingOutcome::deliver}, endpoint_(std::move(endpoint)),
      responder_(std::move(responder)), claim_(std::move(claim)) {
    endpoint_->outcome_owed();
}

PendingOutcome::~PendingOutcome() {
    // The claim settles before stop may go on: it lives in the endpoint's gate.
    claim_.reset();
    endpoint_->outcome_settled();
}

void PendingOutcome::submit(std::shared_ptr<Endpoint> endpoint, const nb_event_t &event,
                            net::Responder responder,
                            std::optional<auth::DeliveryCache::Claim> claim) {
    Endpoint &target = *endpoint;
    std::unique_ptr<PendingOutcome> pending(
        new PendingOutcome(std::move(endpoint), std::move(responder), std::move(claim)));
    const std::uint32_t flags =
        target.answering.respond == Respond::when_finished ? NB_SUBMIT_AWAIT_RUN : 0;
    const bool submitted = target.call_host([&] {
        // From here the host owns the outcome, and deliver the object.
        const nb_outcome_sink_t *sink = &pending.release()->sink_;
        target.async->submit(target.host, target.node, &event, flags, sink);
    });
    if (!submitted) pending->responder_.answer(node_stopping_answer());
}

void PendingOutcome::deliver(const nb_outcome_sink_t *sink, const nb_outcome_t *outcome) noexcept {
    if (!sink) return;
    std::unique_ptr<PendingOutcome> self(static_cast<PendingOutcome *>(sink->context));
    if (!outcome) return;  // a host's bug: the request's timeout answers it
    // Only a stored delivery is remembered: a refused one will be retried.
    if (self->claim_ && outcome_stored(*outcome)) self->claim_->accept();
    try {
        self->responder_.answer(outcome_answer(*outcome));
    } catch (...) {
        // No memory for the answer: the request's timeout answer goes out
        // instead, made when it was parked.
    }
}

}  // namespace nb::webhook
