#include "outcome_answer.hpp"

#include <string>
#include <utility>

#include "json_text.hpp"
#include "reply_answer.hpp"

namespace nb::webhook {
namespace {

constexpr std::string_view kOkBody = R"({"status":"ok"})";
constexpr std::string_view kDuplicateBody = R"({"status":"ok","duplicate":true})";

using metrics::Refusal;

std::string text_or(const char *text, const char *otherwise) { return text ? text : otherwise; }

net::Answer refused(const nb_outcome_t &outcome) {
    switch (outcome.refusal) {
    case NB_REFUSED_QUEUE_FULL:
        return retry_later("the workflow queue is full; retry later", Refusal::backpressure);
    case NB_REFUSED_STORE_FAILING:
        return retry_later("the host could not store the event (" +
                               text_or(outcome.message, "no reason given") + "); retry later",
                           Refusal::store_failing);
    case NB_REFUSED_SHUTTING_DOWN:
        return retry_later("the host is shutting down; retry later", Refusal::stopping);
    case NB_REFUSED_NODE_STOPPING:
        break;
    }
    return node_stopping_answer();
}

}  // namespace

net::Answer retry_later(std::string_view why, Refusal refusal) {
    net::Answer answer = net::error_answer(503, why);
    answer.extra_headers = "Retry-After: 1\r\n";
    return metrics::tagged(std::move(answer), refusal);
}

net::Answer node_stopping_answer() {
    return retry_later("this path is no longer served; retry later", Refusal::stopping);
}

net::Answer duplicate_answer() {
    return metrics::tagged(net::json_answer(200, kDuplicateBody), Refusal::duplicate);
}

net::Answer trigger_answer(nb_trigger_result_t result) {
    switch (result) {
    case NB_TRIGGER_ACCEPTED:
        return net::json_answer(200, kOkBody);
    case NB_TRIGGER_QUEUE_FULL:
        return retry_later("the workflow queue is full; retry later", Refusal::backpressure);
    case NB_TRIGGER_FAILED:
        break;
    }
    return retry_later("the host could not take the event (shutting down); retry later",
                       Refusal::stopping);
}

net::Answer outcome_answer(const nb_outcome_t &outcome) {
    switch (outcome.kind) {
    case NB_OUTCOME_ACCEPTED:
    case NB_OUTCOME_FINISHED:
        return net::json_answer(200, kOkBody);
    case NB_OUTCOME_DUPLICATE:
        return duplicate_answer();
    case NB_OUTCOME_REFUSED:
        return refused(outcome);
    case NB_OUTCOME_REPLY:
        if (outcome.reply) return reply_answer(*outcome.reply);
        break;
    case NB_OUTCOME_RUN_FAILED:
        return net::error_answer(500, "node " + json_string(text_or(outcome.failed_node, "?")) +
                                          " failed: " + text_or(outcome.message, "no message"));
    case NB_OUTCOME_CANCELLED:
        if (!outcome.accepted) return node_stopping_answer();
        return metrics::tagged(
            net::error_answer(504, "the node stopped before the run finished; the run goes on"),
            Refusal::stopping);
    }
    return net::error_answer(500, "the host gave an outcome this plugin does not know");
}

net::Answer timeout_answer(const Answering &answering) {
    const std::string seconds = std::to_string(answering.timeout.count());
    return metrics::tagged(
        net::error_answer(504, answering.respond == Respond::when_finished
                                   ? "the workflow set no reply within response_timeout_s (" +
                                         seconds + " s); the run goes on"
                                   : "the host did not take the event within response_timeout_s (" +
                                         seconds + " s)"),
        Refusal::response_timeout);
}

bool outcome_stored(const nb_outcome_t &outcome) noexcept {
    switch (outcome.kind) {
    case NB_OUTCOME_ACCEPTED:
    case NB_OUTCOME_FINISHED:
    case NB_OUTCOME_REPLY:
    case NB_OUTCOME_RUN_FAILED:
        return true;
    case NB_OUTCOME_CANCELLED:
        return outcome.accepted;
    case NB_OUTCOME_REFUSED:
    case NB_OUTCOME_DUPLICATE:
        break;
    }
    return false;
}

}  // namespace nb::webhook
