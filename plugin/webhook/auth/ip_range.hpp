#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <Poco/Net/IPAddress.h>

namespace nb::webhook::auth {

// An IPv4 or IPv6 address as network-order bytes (4 or 16 used).
struct IpBytes {
    bool v6 = false;
    std::array<unsigned char, 16> bytes{};

    // A socket's address, unmapped.
    static IpBytes of(const Poco::Net::IPAddress &address);
    // IPv4-mapped IPv6 (::ffff:a.b.c.d, what a dual-stack socket reports for
    // an IPv4 client) becomes the IPv4 address, so IPv4 entries match it;
    // any other address stays as it is.
    IpBytes unmapped() const noexcept;
};

// A strict IPv4 dotted quad or IPv6 literal (inet_pton: no "10.1", no
// hex parts, no zone); nullopt otherwise.
std::optional<IpBytes> parse_ip_literal(std::string_view text);

// The canonical text of an address (inet_ntop).
std::string ip_text(const IpBytes &ip);

// An address or a CIDR range: the first `prefix` bits of `base`.
struct IpRange {
    IpBytes base;
    unsigned prefix = 0;

    // "a.b.c.d", "a.b.c.d/n" (n <= 32), "v6" or "v6/n" (n <= 128). Host bits
    // past the prefix are ignored, as most tools do.
    static std::optional<IpRange> parse(std::string_view text);
    bool contains(const IpBytes &ip) const noexcept;
};

}  // namespace nb::webhook::auth
