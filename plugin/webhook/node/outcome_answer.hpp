#pragma once

#include <string_view>

#include <nb/async_trigger.h>
#include <nb/host.h>

#include "endpoint.hpp"
#include "http/responses.hpp"
#include "metrics/refusal.hpp"

namespace nb::webhook {

// The answers of docs/webhook-node.md's answer table, one function per
// source of them: which mean "nothing was stored, retry" (503 + Retry-After)
// and which come after the event was accepted.

// 503 with Retry-After: nothing was stored, a retry is safe. Tagged with
// `refusal` (metrics/refusal.hpp), as every refusal below.
net::Answer retry_later(std::string_view why, metrics::Refusal refusal);

// 503 for a request that reached a node being stopped.
net::Answer node_stopping_answer();

// 200 for a delivery id already stored within the dedupe window.
net::Answer duplicate_answer();

// The answer to a 1.0 host's trigger result.
net::Answer trigger_answer(nb_trigger_result_t result);

// The answer to an outcome of the async trigger.
net::Answer outcome_answer(const nb_outcome_t &outcome);

// No outcome within response_timeout_s.
net::Answer timeout_answer(const Answering &answering);

// An outcome that says the event was stored: the delivery is remembered.
bool outcome_stored(const nb_outcome_t &outcome) noexcept;

}  // namespace nb::webhook
