#pragma once

#include <cstdint>

#include <nb/run_event.h>

#include "unfinished.hpp"

namespace nb::host {

class RunReply;

// What the host's run extensions answer about one run, for every node of it,
// and where the run shows which node it executes.
struct RunContext {
    RunReply *reply = nullptr;   // the run is awaited (NB_SUBMIT_AWAIT_RUN); else none
    std::int64_t event_id = 0;   // the journal's id of its event; 0: not stored
    std::uint32_t attempt = 1;   // 1 the first run of that event
    Unfinished::Run *progress = nullptr;  // the run as listed for a stop's message; else none
};

// [worker-thread] While alive, `run` is the handle being executed on this
// thread, `node` is the node executing it (shown in the context's progress),
// and the run extensions (set_reply, NB_EXT_RUN_EVENT) asked about it answer
// from `context`. Made around each execute by execute_run; `run`, `context`
// and `node` must outlive it.
class ExecutingRun {
public:
    ExecutingRun(const nb_run_t &run, const RunContext &context, const WorkflowNode &node);
    ~ExecutingRun();
    ExecutingRun(const ExecutingRun &) = delete;
    ExecutingRun &operator=(const ExecutingRun &) = delete;

private:
    Unfinished::Run *progress_;
};

// [worker-thread] The context of `run` when it is the handle executing on
// this thread now, else nullptr. Handles are told apart by address: one saved
// from an earlier run may coincide with a later run's, which no check of a
// pointer can see.
const RunContext *executing_context(const nb_run_t *run) noexcept;

// NB_EXT_RUN_EVENT.get (include/nb/run_event.h), from executing_context.
bool run_event(const nb_host_t *host, const nb_run_t *run, std::uint64_t *event_id,
               std::uint32_t *attempt) noexcept;

}  // namespace nb::host
