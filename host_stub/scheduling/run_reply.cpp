#include "run_reply.hpp"

namespace nb::host {
namespace {

// The execute in progress on this thread, if any: a worker runs one node at
// a time, so a thread_local is exactly "the run handle that execute was
// given, until it returns" (include/nb/run_reply.h).
thread_local const nb_run_t *executing_run = nullptr;
thread_local RunReply *executing_reply = nullptr;

}  // namespace

nb_reply_result_t RunReply::set(const nb_reply_t &reply) {
    if (reply_) return NB_REPLY_ALREADY_SET;
    reply_.emplace(reply);
    return NB_REPLY_SET;
}

ExecutingRun::ExecutingRun(const nb_run_t &run, RunReply *reply) {
    executing_run = &run;
    executing_reply = reply;
}

ExecutingRun::~ExecutingRun() {
    executing_run = nullptr;
    executing_reply = nullptr;
}

nb_reply_result_t set_reply(const nb_host_t *host, const nb_run_t *run, const nb_reply_t *reply) noexcept {
    if (!host || !run || !reply || run != executing_run || !ReplyCopy::well_formed(*reply)) {
        return NB_REPLY_INVALID;
    }
    if (!executing_reply) return NB_REPLY_NOT_AWAITED;
    try {
        return executing_reply->set(*reply);
    } catch (...) {
        // Out of memory copying it: nothing was kept, the caller may not
        // count on this reply.
        return NB_REPLY_INVALID;
    }
}

}  // namespace nb::host
