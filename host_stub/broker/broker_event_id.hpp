#pragma once

// An event's id in `nb-host journal --broker`: NODE/MS-SEQ, its node and a
// stream entry id (of the node's stream for an unfinished event, of its dead
// letters for a failed one).

#include <optional>
#include <string>
#include <string_view>

namespace nb::host {

struct BrokerEventId {
    std::string node;
    std::string entry;  // MS-SEQ

    std::string text() const { return node + "/" + entry; }
    bool operator==(const BrokerEventId &other) const { return node == other.node && entry == other.entry; }
};

// Split at the last '/' (a node id may hold one); nothing unless the node is
// not empty and the entry is two whole numbers joined by '-'.
std::optional<BrokerEventId> parse_broker_event_id(std::string_view text);

}  // namespace nb::host
