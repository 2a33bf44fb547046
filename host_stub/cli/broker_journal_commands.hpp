#pragma once

#include <ostream>

#include "options.hpp"

namespace nb::host {

// nb-host journal list|show|replay|stats --broker URL WORKFLOW.json: queue
// mode's unfinished entries and dead letters in Redis (docs/journal.md,
// "With --broker"). Results to `out`, diagnostics to `err`; exit_ok, or
// exit_failure for a workflow file that cannot be read or has no "name", a
// broker that cannot be reached or refuses us, or an unknown event ID.
int command_broker_journal(const Options &options, std::ostream &out, std::ostream &err);

}  // namespace nb::host
