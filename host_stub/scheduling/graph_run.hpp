#pragma once

#include <cstdint>
#include <string>

#include "../workflow/workflow.hpp"

namespace nb::host {

struct RunOutcome {
    bool ok = true;
    NodeIndex failed_node = 0;  // when !ok
    std::string message;        // when !ok: the node's last_error
};

// [worker-thread] One run: executes wf.runs_from[source] in order, handing
// `event` (may be null) to the source and each output along its edges. Stops
// at the first node that fails. Never throws.
RunOutcome execute_run(const Workflow &wf, NodeIndex source, const nb_event_t *event,
                       std::uint64_t run_id) noexcept;

}  // namespace nb::host
