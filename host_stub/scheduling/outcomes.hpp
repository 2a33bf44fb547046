#pragma once

#include <nb/async_trigger.h>

namespace nb::host {

// nb_outcome_t values, so each place states only what differs. Strings are
// borrowed: they must outlive the deliver they are handed to.

constexpr nb_outcome_t outcome_of(nb_outcome_kind_t kind) {
    return {NB_VERSION_INIT, kind, NB_REFUSED_QUEUE_FULL, nullptr, nullptr, nullptr, false};
}

constexpr nb_outcome_t refused(nb_refusal_t why, const char *message) {
    nb_outcome_t outcome = outcome_of(NB_OUTCOME_REFUSED);
    outcome.refusal = why;
    outcome.message = message;
    return outcome;
}

constexpr nb_outcome_t run_failed(const char *node_id, const char *message) {
    nb_outcome_t outcome = outcome_of(NB_OUTCOME_RUN_FAILED);
    outcome.failed_node = node_id;
    outcome.message = message;
    return outcome;
}

constexpr nb_outcome_t cancelled(bool accepted) {
    nb_outcome_t outcome = outcome_of(NB_OUTCOME_CANCELLED);
    outcome.accepted = accepted;
    return outcome;
}

}  // namespace nb::host
