#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "../workflow/workflow.hpp"
#include "executing_run.hpp"

namespace nb::host {

struct RunOutcome {
    bool ok = true;
    NodeIndex failed_node = 0;     // when !ok: the first node that failed
    std::string message;           // when !ok: why it failed, its last_error as a rule
    std::size_t failed_count = 0;  // nodes that failed, failed_node included
    std::size_t skipped = 0;       // nodes not executed because they depend on a failed one
};

// [worker-thread] One run: executes wf.runs_from[source] in order, handing
// `event` (may be null) to the source and each output along its edges. A node
// fails when its execute returns an error, throws, or leaves unwritten an
// output that an edge reads. A node that fails skips every node of the run
// that depends on it, through edges, directly or not; the others still run,
// in the same order. Never throws.
// `context` is what the run extensions answer during each execute: its
// reply receives what a node sets through NB_EXT_RUN_REPLY (none when nobody
// awaits the run: set_reply says NOT_AWAITED).
RunOutcome execute_run(const Workflow &wf, NodeIndex source, const nb_event_t *event,
                       std::uint64_t run_id, const RunContext &context = {}) noexcept;

}  // namespace nb::host
