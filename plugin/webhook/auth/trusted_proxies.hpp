#pragma once

#include <optional>
#include <utility>

#include "http/header_fields.hpp"
#include "ip_list.hpp"

namespace nb::webhook::auth {

// X-Forwarded-For hops examined at most, from the right: no real chain of
// proxies is this long, and a header of thousands costs no more.
inline constexpr unsigned kMaxForwardedHops = 32;

// The `trusted_proxies` widget: the peers (load balancers, reverse proxies)
// whose X-Forwarded-For names the client, as nginx's realip module with
// real_ip_recursive on.
class TrustedProxies {
public:
    // The empty list trusts no one: X-Forwarded-For is always ignored.
    TrustedProxies() = default;
    explicit TrustedProxies(IpList proxies) : proxies_(std::move(proxies)) {}

    // The client of a request from `peer` (unmapped), when X-Forwarded-For
    // names it; nullopt when the peer itself is the client. A peer not in
    // the list is the client whatever it sends, so nobody else can choose
    // an address. From a trusted peer, the hops of every X-Forwarded-For
    // line (joined in order) are read from the right, trusted ones skipped:
    // the first untrusted hop is the client; all trusted, the leftmost is.
    // A hop read that is not a bare IPv4/IPv6 address (garbage, empty,
    // "unknown", a port), or more than kMaxForwardedHops trusted hops, and
    // the peer is the client: the header proves nothing then, and the peer's
    // address is the only one the connection proved.
    std::optional<IpBytes> forwarded_client(const IpBytes &peer,
                                            const net::HeaderFields &headers) const;

private:
    IpList proxies_;  // empty: no one
};

}  // namespace nb::webhook::auth
