#include "executing_run.hpp"

namespace nb::host {
namespace {

// The execute in progress on this thread, if any: a worker runs one node at
// a time, so a thread_local is exactly "the run handle that execute was
// given, until it returns" (include/nb/run_reply.h).
thread_local const nb_run_t *executing_run = nullptr;
thread_local const RunContext *executing = nullptr;

}  // namespace

ExecutingRun::ExecutingRun(const nb_run_t &run, const RunContext &context, const WorkflowNode &node)
    : progress_(context.progress) {
    executing_run = &run;
    executing = &context;
    if (progress_) progress_->executing(&node);
}

ExecutingRun::~ExecutingRun() {
    executing_run = nullptr;
    executing = nullptr;
    if (progress_) progress_->executing(nullptr);
}

const RunContext *executing_context(const nb_run_t *run) noexcept {
    return run && run == executing_run ? executing : nullptr;
}

bool run_event(const nb_host_t *host, const nb_run_t *run, std::uint64_t *event_id,
               std::uint32_t *attempt) noexcept {
    const RunContext *context = executing_context(run);
    if (!host || !context || !event_id || !attempt || context->event_id <= 0) return false;
    *event_id = static_cast<std::uint64_t>(context->event_id);
    *attempt = context->attempt;
    return true;
}

}  // namespace nb::host
