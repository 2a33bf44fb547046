// Who the client is behind a load balancer (trusted_proxies): the rightmost
// untrusted X-Forwarded-For hop from a trusted peer, the peer otherwise,
// whatever a client spoofs.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <Poco/Net/IPAddress.h>

#include "auth/trusted_proxies.hpp"
#include "http/header_fields.hpp"
#include "parsed_ips.hpp"

using namespace nb::webhook::auth;

namespace {

TrustedProxies trusting(const char *text) { return TrustedProxies(ip_list("trusted_proxies", text)); }

// The client address of a request from `peer` with these X-Forwarded-For
// lines (other headers around them), "peer" when the peer is the client.
std::string client(const TrustedProxies &proxies, const IpBytes &peer,
                   const std::vector<std::string> &forwarded_for) {
    nb::net::HeaderFields headers;
    headers.add("Host", "example.com");
    for (const std::string &line : forwarded_for) {
        headers.add("X-Forwarded-For", line);
        headers.add("X-Real-IP", "192.0.2.99");  // never read
    }
    const auto forwarded = proxies.forwarded_client(peer, headers);
    return forwarded ? ip_text(*forwarded) : "peer";
}

std::string client(const char *trusted, const char *peer,
                   const std::vector<std::string> &forwarded_for) {
    return client(trusting(trusted), ip(peer), forwarded_for);
}

// `count` hops "10.0.0.2, 10.0.0.2, ...".
std::string trusted_hops(unsigned count) {
    std::string hops;
    for (unsigned i = 0; i < count; ++i) hops += i ? ", 10.0.0.2" : "10.0.0.2";
    return hops;
}

}  // namespace

TEST_CASE("trusted_proxies empty: X-Forwarded-For is always ignored") {
    CHECK(client("", "127.0.0.1", {"203.0.113.7"}) == "peer");
    CHECK(client("", "10.0.0.1", {"203.0.113.7, 10.0.0.1"}) == "peer");
    CHECK(client(TrustedProxies(), ip("127.0.0.1"), {"203.0.113.7"}) == "peer");
}

TEST_CASE("an untrusted peer is the client, whatever it spoofs") {
    for (const char *spoofed : {"203.0.113.7", "203.0.113.7, 127.0.0.1", "127.0.0.1",
                                "10.0.0.2, 10.0.0.3", "garbage"}) {
        CAPTURE(spoofed);
        CHECK(client("127.0.0.1, 10.0.0.0/8", "198.51.100.1", {spoofed}) == "peer");
    }
}

TEST_CASE("a trusted peer: the rightmost untrusted hop is the client") {
    CHECK(client("127.0.0.1", "127.0.0.1", {"203.0.113.7"}) == "203.0.113.7");
    // What the client wrote is left of what the proxy appended: never read.
    CHECK(client("127.0.0.1", "127.0.0.1", {"198.51.100.1, 203.0.113.7"}) == "203.0.113.7");
    CHECK(client("127.0.0.1", "127.0.0.1", {"garbage, 203.0.113.7"}) == "203.0.113.7");
    CHECK(client("127.0.0.1", "127.0.0.1", {" \t203.0.113.7\t "}) == "203.0.113.7");
    // Spoofing a trusted hop buys nothing: the proxy appends the real client.
    CHECK(client("127.0.0.1", "127.0.0.1", {"203.0.113.7, 127.0.0.1, 198.51.100.1"}) ==
          "198.51.100.1");
    // No header: the trusted peer is the client.
    CHECK(client("127.0.0.1", "127.0.0.1", {}) == "peer");
}

TEST_CASE("chains of trusted proxies are skipped, from the right") {
    const TrustedProxies proxies = trusting("10.0.0.0/8, 192.168.1.1");
    CHECK(client(proxies, ip("10.0.0.1"), {"1.1.1.1, 203.0.113.7, 192.168.1.1, 10.0.0.3"}) ==
          "203.0.113.7");
    CHECK(client(proxies, ip("192.168.1.1"), {"203.0.113.7, 10.9.9.9"}) == "203.0.113.7");
    // A trusted hop left of an untrusted one is never reached.
    CHECK(client(proxies, ip("10.0.0.1"), {"10.0.0.5, 203.0.113.7, 10.0.0.3"}) == "203.0.113.7");
}

TEST_CASE("several X-Forwarded-For lines are read as one list, joined in order") {
    const TrustedProxies proxies = trusting("10.0.0.0/8");
    CHECK(client(proxies, ip("10.0.0.1"), {"1.1.1.1, 203.0.113.7", "10.0.0.2"}) ==
          "203.0.113.7");
    CHECK(client(proxies, ip("10.0.0.1"), {"203.0.113.7", "10.0.0.2, 10.0.0.3"}) ==
          "203.0.113.7");
    CHECK(client(proxies, ip("10.0.0.1"), {"198.51.100.1", "203.0.113.7"}) == "203.0.113.7");
    CHECK(client(proxies, ip("10.0.0.1"), {"203.0.113.7", "198.51.100.1"}) == "198.51.100.1");
    CHECK(client(proxies, ip("10.0.0.1"), {"garbage", "203.0.113.7, 10.0.0.2"}) ==
          "203.0.113.7");
}

TEST_CASE("every hop trusted: the leftmost is the client") {
    CHECK(client("10.0.0.0/8", "10.0.0.1", {"10.0.0.3, 10.0.0.2"}) == "10.0.0.3");
    CHECK(client("10.0.0.0/8", "10.0.0.1", {"10.0.0.4", "10.0.0.3, 10.0.0.2"}) == "10.0.0.4");
    CHECK(client("10.0.0.0/8", "10.0.0.1", {"10.0.0.1"}) == "10.0.0.1");
}

TEST_CASE("a hop that is not a bare address, where one must be read: the peer is the client") {
    // The peer's address is the only one the connection proved; a trusted
    // hop right of the bad one is not used either, nor what lies left of it.
    for (const char *bad : {"garbage", "", " ", "unknown", "203.0.113.7:8080",
                            "[2001:db8::7]", "[2001:db8::7]:443", "203.0.113.7 extra",
                            "203.0.113", "0x7f.0.0.1", "2001:db8::7%eth0", "203.0.113.7/32",
                            "_hidden", "for=203.0.113.7"}) {
        CAPTURE(bad);
        CHECK(client("10.0.0.0/8", "10.0.0.1", {bad}) == "peer");
        CHECK(client("10.0.0.0/8", "10.0.0.1", {std::string("203.0.113.7, ") + bad}) == "peer");
        CHECK(client("10.0.0.0/8", "10.0.0.1", {std::string(bad) + ", 10.0.0.2"}) == "peer");
        CHECK(client("10.0.0.0/8", "10.0.0.1", {"203.0.113.7", bad}) == "peer");
    }
    CHECK(client("10.0.0.0/8", "10.0.0.1", {"203.0.113.7,"}) == "peer");  // an empty hop
    CHECK(client("10.0.0.0/8", "10.0.0.1", {"203.0.113.7,,10.0.0.2"}) == "peer");
    CHECK(client("10.0.0.0/8", "10.0.0.1", {std::string(100000, '1')}) == "peer");
}

TEST_CASE("IPv6 proxies and clients; IPv4-mapped peers and hops count as IPv4") {
    CHECK(client("2001:db8:1::/48", "2001:db8:1::5", {"2001:db8:2::7, 2001:db8:1::9"}) ==
          "2001:db8:2::7");
    CHECK(client("2001:db8:1::/48", "2001:db8:2::5", {"2001:db8:3::7"}) == "peer");
    CHECK(client("::1, 10.0.0.0/8", "::1", {"203.0.113.7"}) == "203.0.113.7");
    CHECK(client("10.0.0.0/8", "10.0.0.1", {"2001:DB8::0007"}) == "2001:db8::7");  // canonical
    // A dual-stack socket's peer ::ffff:127.0.0.1 is 127.0.0.1, as for allow_from.
    const IpBytes mapped_peer = IpBytes::of(Poco::Net::IPAddress("::ffff:127.0.0.1"));
    CHECK(client(trusting("127.0.0.1"), mapped_peer, {"203.0.113.7"}) == "203.0.113.7");
    CHECK(client(trusting("::ffff:127.0.0.1"), mapped_peer, {"203.0.113.7"}) == "peer");
    // A mapped hop is the IPv4 address: trusted when its IPv4 form is, and
    // the client as IPv4, so allow_from's IPv4 entries match it.
    CHECK(client("10.0.0.0/8", "10.0.0.1", {"203.0.113.7, ::ffff:10.0.0.2"}) == "203.0.113.7");
    CHECK(client("10.0.0.0/8", "10.0.0.1", {"::ffff:203.0.113.7"}) == "203.0.113.7");
}

TEST_CASE("a huge header costs little: at most kMaxForwardedHops hops are read") {
    const TrustedProxies proxies = trusting("10.0.0.0/8");
    CHECK(client(proxies, ip("10.0.0.1"), {trusted_hops(kMaxForwardedHops)}) == "10.0.0.2");
    CHECK(client(proxies, ip("10.0.0.1"),
                 {"203.0.113.7, " + trusted_hops(kMaxForwardedHops - 1)}) == "203.0.113.7");
    // One trusted hop more than are read: the peer, never a hop not read.
    CHECK(client(proxies, ip("10.0.0.1"), {"203.0.113.7, " + trusted_hops(kMaxForwardedHops)}) ==
          "peer");
    std::vector<std::string> lines(kMaxForwardedHops + 1, "10.0.0.2");
    lines.front() = "203.0.113.7";
    CHECK(client(proxies, ip("10.0.0.1"), lines) == "peer");

    // Thousands of hops, in one line or many: only the rightmost are read.
    CHECK(client(proxies, ip("10.0.0.1"), {"203.0.113.7, " + trusted_hops(100000)}) == "peer");
    CHECK(client(proxies, ip("10.0.0.1"), {trusted_hops(100000) + ", 198.51.100.1"}) ==
          "198.51.100.1");
    CHECK(client(proxies, ip("10.0.0.1"), std::vector<std::string>(5000, "198.51.100.1")) ==
          "198.51.100.1");
}
