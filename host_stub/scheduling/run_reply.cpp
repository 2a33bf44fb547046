#include "run_reply.hpp"

#include "executing_run.hpp"

namespace nb::host {

nb_reply_result_t RunReply::set(const nb_reply_t &reply) {
    if (reply_) return NB_REPLY_ALREADY_SET;
    reply_.emplace(reply);
    return NB_REPLY_SET;
}

nb_reply_result_t set_reply(const nb_host_t *host, const nb_run_t *run, const nb_reply_t *reply) noexcept {
    const RunContext *context = executing_context(run);
    if (!host || !context || !reply || !ReplyCopy::well_formed(*reply)) return NB_REPLY_INVALID;
    if (!context->reply) return NB_REPLY_NOT_AWAITED;
    try {
        return context->reply->set(*reply);
    } catch (...) {
        // Out of memory copying it: nothing was kept, the caller may not
        // count on this reply.
        return NB_REPLY_INVALID;
    }
}

}  // namespace nb::host
