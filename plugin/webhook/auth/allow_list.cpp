#include "allow_list.hpp"

#include <algorithm>

#include "json_text.hpp"

namespace nb::webhook::auth {
namespace {

std::string_view trim(std::string_view text) noexcept {
    const auto first = text.find_first_not_of(' ');
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

}  // namespace

std::optional<AllowList> AllowList::parse(std::string_view text, std::string &error) {
    AllowList list;
    if (trim(text).empty()) return list;
    while (true) {
        const auto comma = text.find(',');
        const std::string_view entry = trim(text.substr(0, comma));
        const auto range = IpRange::parse(entry);
        if (!range) {
            error = "allow_from entry " + quoted_value(entry) +
                    " is not an IPv4 or IPv6 address or CIDR range (like 10.0.0.0/8 or "
                    "2001:db8::/32)";
            return std::nullopt;
        }
        list.ranges_.push_back(*range);
        if (comma == std::string_view::npos) return list;
        text.remove_prefix(comma + 1);
    }
}

bool AllowList::allows(const IpBytes &ip) const noexcept {
    return ranges_.empty() || std::any_of(ranges_.begin(), ranges_.end(),
                                          [&](const IpRange &r) { return r.contains(ip); });
}

}  // namespace nb::webhook::auth
