#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ip_range.hpp"

namespace nb::webhook::auth {

// The `allow_from` widget: which client addresses may reach a node.
class AllowList {
public:
    // Comma-separated addresses and CIDR ranges, spaces around entries
    // ignored; "" allows everyone. nullopt with `error` naming the first
    // malformed entry.
    static std::optional<AllowList> parse(std::string_view text, std::string &error);

    bool allows(const IpBytes &ip) const noexcept;

private:
    std::vector<IpRange> ranges_;  // empty: everyone
};

}  // namespace nb::webhook::auth
