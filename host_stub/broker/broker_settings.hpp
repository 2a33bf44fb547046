#pragma once

#include <chrono>
#include <cstdint>

#include "outage.hpp"

namespace nb::host {

// What a host does in queue mode: `all` listens and runs, `ingest` only
// listens (its events run elsewhere), `worker` only runs.
enum class BrokerRole { all, ingest, worker };

struct BrokerSettings {
    LinkSettings link;
    BrokerRole role = BrokerRole::all;
    std::uint64_t max_backlog = 100000;
    std::chrono::milliseconds claim_after{30000};
};

}  // namespace nb::host
