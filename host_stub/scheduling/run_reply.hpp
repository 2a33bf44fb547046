#pragma once

#include <optional>

#include <nb/run_reply.h>

#include "reply_copy.hpp"

namespace nb::host {

// The reply of one awaited run (NB_SUBMIT_AWAIT_RUN): the first reply a node
// of the run sets. Only the run's worker thread touches it.
class RunReply {
public:
    // The first reply wins: SET and copied, then ALREADY_SET.
    nb_reply_result_t set(const nb_reply_t &reply);
    const std::optional<ReplyCopy> &reply() const { return reply_; }

private:
    std::optional<ReplyCopy> reply_;
};

// NB_EXT_RUN_REPLY.set_reply. [worker-thread] Inside `run`'s execute only:
// INVALID for NULLs, an ill-formed reply, or a `run` that is not the handle
// executing on this thread now (executing_context). `reply` is borrowed for
// the call; a SET one is copied.
nb_reply_result_t set_reply(const nb_host_t *host, const nb_run_t *run, const nb_reply_t *reply) noexcept;

}  // namespace nb::host
