#include "pending_outcome.hpp"

#include "outcome_answer.hpp"

namespace nb::webhook {

PendingOutcome::PendingOutcome(std::shared_ptr<Endpoint> endpoint,
                               std::optional<auth::DeliveryCache::Claim> claim) noexcept
    : sink_{this, &PendingOutcome::deliver}, endpoint_(std::move(endpoint)),
      claim_(std::move(claim)) {
    endpoint_->outcome_owed();
}

PendingOutcome::~PendingOutcome() {
    // The claim settles before stop may go on: it lives in the endpoint's gate.
    claim_.reset();
    endpoint_->outcome_settled();
}

std::optional<net::Answer> PendingOutcome::submit(std::shared_ptr<Endpoint> endpoint,
                                                  const nb_event_t &event, net::Parker &parker,
                                                  std::optional<auth::DeliveryCache::Claim> claim) {
    Endpoint &target = *endpoint;
    std::unique_ptr<PendingOutcome> pending(new PendingOutcome(std::move(endpoint), std::move(claim)));
    const std::uint32_t flags =
        target.answering.respond == Respond::when_finished ? NB_SUBMIT_AWAIT_RUN : 0;
    PendingOutcome *submitted = nullptr;
    target.call_host([&] {
        // From here the host owns the outcome; the object is freed by
        // whichever of deliver and settle_or_park comes last.
        submitted = pending.release();
        target.async->submit(target.host, target.node, &event, flags, &submitted->sink_);
    });
    if (!submitted) return node_stopping_answer();
    return submitted->settle_or_park(parker);
}

std::optional<net::Answer> PendingOutcome::settle_or_park(net::Parker &parker) {
    std::unique_lock lock(mutex_);
    if (early_) {
        std::optional<net::Answer> answer = std::move(early_);
        lock.unlock();
        delete this;
        return answer;
    }
    try {
        responder_.emplace(parker.park(net::Clock::now() + endpoint_->answering.timeout,
                                       endpoint_->timeout_answer));
    } catch (...) {
        // The connection answers 500; an outcome still owed is dropped.
        stage_ = Stage::abandoned;
        if (delivered_) {
            lock.unlock();
            delete this;
        }
        throw;
    }
    stage_ = Stage::parked;
    if (delivered_) {
        // Delivered without an answer (no outcome, or no memory to make
        // one): the request's timeout answers it.
        lock.unlock();
        delete this;
    }
    return std::nullopt;
}

void PendingOutcome::deliver(const nb_outcome_sink_t *sink, const nb_outcome_t *outcome) noexcept {
    if (!sink) return;
    auto *self = static_cast<PendingOutcome *>(sink->context);
    std::optional<net::Answer> answer;
    if (outcome) {  // else a host's bug: the request's timeout answers it
        // Only a stored delivery is remembered: a refused one will be retried.
        if (self->claim_ && outcome_stored(*outcome)) self->claim_->accept();
        try {
            answer.emplace(outcome_answer(*outcome));
        } catch (...) {
            // No memory for the answer: the request's timeout answer goes
            // out instead, made when the route started.
        }
    }
    std::unique_lock lock(self->mutex_);
    self->delivered_ = true;
    if (self->stage_ == Stage::submitting) {
        self->early_ = std::move(answer);  // settle_or_park answers it and frees
        return;
    }
    lock.unlock();
    const std::unique_ptr<PendingOutcome> owned(self);
    if (answer && owned->responder_) owned->responder_->answer(std::move(*answer));
}

}  // namespace nb::webhook
