#include "ip_range.hpp"

#include <arpa/inet.h>

#include <cstring>

#include "integer.hpp"

namespace nb::webhook::auth {

IpBytes IpBytes::of(const Poco::Net::IPAddress &address) {
    IpBytes ip;
    ip.v6 = address.family() == Poco::Net::IPAddress::IPv6;
    std::memcpy(ip.bytes.data(), address.addr(), ip.v6 ? 16 : 4);
    return ip.unmapped();
}

IpBytes IpBytes::unmapped() const noexcept {
    constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (!v6 || std::memcmp(bytes.data(), kMapped, sizeof kMapped) != 0) return *this;
    IpBytes v4;
    std::memcpy(v4.bytes.data(), bytes.data() + 12, 4);
    return v4;
}

std::optional<IpBytes> parse_ip_literal(std::string_view text) {
    // inet_pton needs a NUL; no address is as long as the buffer, so longer
    // text (an X-Forwarded-For hop may be any size) is refused uncopied.
    char copy[INET6_ADDRSTRLEN] = {};
    if (text.size() >= sizeof copy || text.find('\0') != std::string_view::npos) {
        return std::nullopt;
    }
    std::memcpy(copy, text.data(), text.size());
    IpBytes ip;
    if (inet_pton(AF_INET, copy, ip.bytes.data()) == 1) return ip;
    ip.v6 = true;
    if (inet_pton(AF_INET6, copy, ip.bytes.data()) == 1) return ip;
    return std::nullopt;
}

std::string ip_text(const IpBytes &ip) {
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(ip.v6 ? AF_INET6 : AF_INET, ip.bytes.data(), text, sizeof text);
    return text;
}

std::optional<IpRange> IpRange::parse(std::string_view text) {
    const auto slash = text.find('/');
    const auto base = parse_ip_literal(text.substr(0, slash));
    if (!base) return std::nullopt;
    const unsigned bits = base->v6 ? 128 : 32;
    if (slash == std::string_view::npos) return IpRange{*base, bits};
    const std::string_view digits = text.substr(slash + 1);
    const auto prefix = digits.size() <= 3 ? parse_integer(digits, Sign::unsigned_only)
                                           : std::nullopt;
    if (!prefix || *prefix > bits) return std::nullopt;
    return IpRange{*base, static_cast<unsigned>(*prefix)};
}

bool IpRange::contains(const IpBytes &ip) const noexcept {
    if (ip.v6 != base.v6) return false;
    const unsigned whole = prefix / 8;
    if (std::memcmp(ip.bytes.data(), base.bytes.data(), whole) != 0) return false;
    const unsigned rest = prefix % 8;
    if (rest == 0) return true;
    const auto mask = static_cast<unsigned char>(0xFFu << (8 - rest));
    return (ip.bytes[whole] & mask) == (base.bytes[whole] & mask);
}

}  // namespace nb::webhook::auth
