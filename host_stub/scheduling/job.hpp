#pragma once

#include <chrono>
#include <cstdint>

#include "../workflow/graph.hpp"
#include "event_copy.hpp"
#include "tally.hpp"

namespace nb::host {

// One run to execute: what the run queue holds.
struct Job {
    std::uint64_t run_id;  // unique per host; also names the submit whose outcome it owes
    NodeIndex source;
    EventCopy event;
    std::chrono::steady_clock::time_point accepted;
    // Submitted with NB_SUBMIT_AWAIT_RUN: the run's end is the submit's
    // outcome (Submissions::finish), and its nodes may set a reply.
    bool awaited = false;
    std::int64_t event_id = 0;  // the journal's id for the event; 0: not stored
    std::uint32_t attempt = 1;  // 1 the first run of the event; counts replays and retries
    Tally queued{};             // its bytes, counted against --queue-bytes until the run starts
    Tally owed{};               // 1 among the events owed their run (Unfinished) until the job ends
};

}  // namespace nb::host
