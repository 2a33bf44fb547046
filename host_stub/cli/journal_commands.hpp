#pragma once

#include <ostream>

#include "options.hpp"

namespace nb::host {

// nb-host journal list|show|replay|stats, beside a running host or not
// (docs/journal.md). Results to `out`, diagnostics to `err`; exit_ok, or
// exit_failure for a missing or unusable journal, an unknown event id, or a
// workflow file that cannot be read.
int command_journal(const Options &options, std::ostream &out, std::ostream &err);

}  // namespace nb::host
