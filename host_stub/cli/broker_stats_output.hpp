#pragma once

// How `nb-host journal stats --broker` prints its counts: one line per node
// and a total for people, one object for programs.

#include <string>

#include "../broker/broker_reader.hpp"

namespace nb::host {

std::string broker_stats_text(const BrokerStats &stats);
std::string broker_stats_json(const BrokerStats &stats);

}  // namespace nb::host
