#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ip_range.hpp"

namespace nb::webhook::auth {

// The text of the address widgets (allow_from, trusted_proxies): comma-
// separated IPv4/IPv6 addresses and CIDR ranges.
class IpList {
public:
    // Spaces and tabs around entries ignored; "" is the empty list. nullopt with
    // `error` naming `widget` and the first malformed entry.
    static std::optional<IpList> parse(std::string_view widget, std::string_view text,
                                       std::string &error);

    bool empty() const noexcept { return ranges_.empty(); }
    bool contains(const IpBytes &ip) const noexcept;

private:
    std::vector<IpRange> ranges_;
};

}  // namespace nb::webhook::auth
