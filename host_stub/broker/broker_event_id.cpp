#include "broker_event_id.hpp"

#include "integer.hpp"

namespace nb::host {

std::optional<BrokerEventId> parse_broker_event_id(std::string_view text) {
    const auto slash = text.rfind('/');
    if (slash == std::string_view::npos || slash == 0) return std::nullopt;
    const std::string_view entry = text.substr(slash + 1);
    const auto dash = entry.find('-');
    if (dash == std::string_view::npos || !parse_integer(entry.substr(0, dash), Sign::unsigned_only) ||
        !parse_integer(entry.substr(dash + 1), Sign::unsigned_only)) {
        return std::nullopt;
    }
    return BrokerEventId{std::string(text.substr(0, slash)), std::string(entry)};
}

}  // namespace nb::host
