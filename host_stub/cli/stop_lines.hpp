#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nb/host.h>

#include "../scheduling/unfinished.hpp"

namespace nb::host {

// What keeps the accepted events a stop leaves unfinished.
struct KeptBy {
    enum class Kind { memory, journal, broker };
    Kind kind = Kind::memory;
    std::string where;  // journal: its path; broker: --claim-after, written as a DURATION
};

// One line for Host::log_line.
struct StopLine {
    nb_log_level_t level;
    std::string text;
};

// The first SIGINT or SIGTERM, with `events` accepted and not finished: the
// drain waits for them, and a second signal would not. Empty when none are.
std::string draining_line(std::uint64_t events);

// A second `signal` during the drain: what it leaves unfinished (`events`, and
// the runs `executing`, one line each) and what becomes of it.
std::vector<StopLine> forced_stop_lines(int signal, std::uint64_t events,
                                        const std::vector<Unfinished::Executing> &executing,
                                        const KeptBy &kept_by);

}  // namespace nb::host
