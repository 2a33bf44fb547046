#include "submit_waiter.hpp"

#include "outcomes.hpp"

namespace nb::host {

void SubmitWaiter::duplicate() noexcept {
    constexpr nb_outcome_t duplicate = outcome_of(NB_OUTCOME_DUPLICATE);
    sink_.deliver(&sink_, &duplicate);
}

void SubmitWaiter::full(const char *why) noexcept {
    const nb_outcome_t outcome = refused(NB_REFUSED_QUEUE_FULL, why);
    sink_.deliver(&sink_, &outcome);
}

void SubmitWaiter::failed(const char *why) noexcept {
    const nb_outcome_t outcome = refused(NB_REFUSED_STORE_FAILING, why);
    sink_.deliver(&sink_, &outcome);
}

void BrokeredSubmit::stored(std::int64_t) noexcept {
    constexpr nb_outcome_t accepted = outcome_of(NB_OUTCOME_ACCEPTED);
    sink_.deliver(&sink_, &accepted);
}

}  // namespace nb::host
