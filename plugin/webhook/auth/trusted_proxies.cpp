#include "trusted_proxies.hpp"

namespace nb::webhook::auth {
namespace {

constexpr std::string_view kForwardedFor = "x-forwarded-for";

}  // namespace

std::optional<IpBytes> TrustedProxies::forwarded_client(const IpBytes &peer,
                                                        const net::HeaderFields &headers) const {
    if (proxies_.empty() || !proxies_.contains(peer)) return std::nullopt;
    std::optional<IpBytes> leftmost;  // the last hop read, every one trusted so far
    unsigned examined = 0;
    // Lines last to first, each's hops right to left: the order of the
    // lines joined with commas, read from the right, without joining them.
    for (auto field = headers.end(); field != headers.begin();) {
        --field;
        if (field->first != kForwardedFor) continue;
        std::string_view rest = field->second;
        while (true) {
            if (++examined > kMaxForwardedHops) return std::nullopt;
            const auto comma = rest.rfind(',');
            const auto hop = parse_ip_literal(
                net::trim_ows(comma == std::string_view::npos ? rest : rest.substr(comma + 1)));
            if (!hop) return std::nullopt;
            const IpBytes ip = hop->unmapped();
            if (!proxies_.contains(ip)) return ip;
            leftmost = ip;
            if (comma == std::string_view::npos) break;
            rest = rest.substr(0, comma);
        }
    }
    return leftmost;
}

}  // namespace nb::webhook::auth
