#include "ip_list.hpp"

#include <algorithm>

#include "http/header_fields.hpp"
#include "json_text.hpp"

namespace nb::webhook::auth {

std::optional<IpList> IpList::parse(std::string_view widget, std::string_view text,
                                    std::string &error) {
    IpList list;
    if (net::trim_ows(text).empty()) return list;
    while (true) {
        const auto comma = text.find(',');
        const std::string_view entry = net::trim_ows(text.substr(0, comma));
        const auto range = IpRange::parse(entry);
        if (!range) {
            error = std::string(widget) + " entry " + quoted_value(entry) +
                    " is not an IPv4 or IPv6 address or CIDR range (like 10.0.0.0/8 or "
                    "2001:db8::/32)";
            return std::nullopt;
        }
        list.ranges_.push_back(*range);
        if (comma == std::string_view::npos) return list;
        text.remove_prefix(comma + 1);
    }
}

bool IpList::contains(const IpBytes &ip) const noexcept {
    return std::any_of(ranges_.begin(), ranges_.end(),
                       [&](const IpRange &r) { return r.contains(ip); });
}

}  // namespace nb::webhook::auth
