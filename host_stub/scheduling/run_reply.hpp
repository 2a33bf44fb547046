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

// [worker-thread] While alive, `run` is the handle being executed on this
// thread, and set_reply for it goes to `reply` (nullptr: the run is not
// awaited). Made around each execute by execute_run; `run` and `reply` must
// outlive it.
class ExecutingRun {
public:
    ExecutingRun(const nb_run_t &run, RunReply *reply);
    ~ExecutingRun();
    ExecutingRun(const ExecutingRun &) = delete;
    ExecutingRun &operator=(const ExecutingRun &) = delete;
};

// NB_EXT_RUN_REPLY.set_reply. [worker-thread] Inside `run`'s execute only:
// INVALID for NULLs, an ill-formed reply, or a `run` that is not the handle
// executing on this thread now (saved from an earlier execute of the run, or
// used from another thread). Handles are told apart by address: one saved
// from an earlier run may coincide with a later run's, which no check of a
// pointer can see. `reply` is borrowed for the call; a SET one is copied.
nb_reply_result_t set_reply(const nb_host_t *host, const nb_run_t *run, const nb_reply_t *reply) noexcept;

}  // namespace nb::host
