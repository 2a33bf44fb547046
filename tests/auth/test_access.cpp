// Who may call (allow_from), what is remembered (dedupe), and how the
// widgets of verified senders take, keep and hide their values.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "auth/allow_list.hpp"
#include "auth/delivery_cache.hpp"
#include "auth/secret.hpp"
#include "parsed_ips.hpp"
#include "widgets/access_settings.hpp"

using namespace nb::webhook::auth;
using nb::webhook::AccessSettings;
using Outcome = DeliveryCache::Outcome;
using namespace std::chrono_literals;

namespace {

// One delivery of `id` the host accepts: false for a duplicate.
bool deliver(DeliveryCache &cache, const std::string &id, std::int64_t now) {
    auto attempt = cache.claim(id, now);
    REQUIRE(attempt.outcome != Outcome::busy);
    if (attempt.outcome == Outcome::duplicate) return false;
    attempt.claim->accept();
    return true;
}

AllowList allow(const char *text) { return AllowList(ip_list("allow_from", text)); }

std::string set_error(AccessSettings &s, const char *name, const char *value) {
    std::string error;
    return s.set(name, value, error) == NB_OK ? "" : error;
}

}  // namespace

TEST_CASE("allow_from: empty allows everyone") {
    const AllowList list = allow("");
    CHECK(list.allows(ip("203.0.113.9")));
    CHECK(list.allows(ip("2001:db8::1")));
    CHECK(allow("  ").allows(ip("10.0.0.1")));
}

TEST_CASE("allow_from: IPv4 addresses and CIDR edges") {
    const AllowList list = allow("127.0.0.1, 10.0.0.0/8,192.168.1.128/25 , 172.16.5.4/31");
    CHECK(list.allows(ip("127.0.0.1")));
    CHECK_FALSE(list.allows(ip("127.0.0.2")));
    CHECK(list.allows(ip("10.0.0.0")));
    CHECK(list.allows(ip("10.255.255.255")));
    CHECK_FALSE(list.allows(ip("11.0.0.0")));
    CHECK_FALSE(list.allows(ip("9.255.255.255")));
    CHECK(list.allows(ip("192.168.1.128")));
    CHECK(list.allows(ip("192.168.1.255")));
    CHECK_FALSE(list.allows(ip("192.168.1.127")));
    CHECK(list.allows(ip("172.16.5.4")));
    CHECK(list.allows(ip("172.16.5.5")));
    CHECK_FALSE(list.allows(ip("172.16.5.6")));
    CHECK_FALSE(list.allows(ip("::1")));  // families never match each other
    CHECK(allow("0.0.0.0/0").allows(ip("8.8.8.8")));
}

TEST_CASE("allow_from: IPv6 addresses and CIDR edges; IPv4-mapped clients match IPv4") {
    const AllowList list = allow("::1, 2001:db8::/32, fe80::/10");
    CHECK(list.allows(ip("::1")));
    CHECK_FALSE(list.allows(ip("::2")));
    CHECK(list.allows(ip("2001:db8::")));
    CHECK(list.allows(ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")));
    CHECK_FALSE(list.allows(ip("2001:db9::")));
    CHECK(list.allows(ip("fe80::1")));
    CHECK(list.allows(ip("febf:ffff::1")));
    CHECK_FALSE(list.allows(ip("fec0::1")));
    CHECK_FALSE(list.allows(ip("127.0.0.1")));
    const Poco::Net::IPAddress mapped("::ffff:10.1.2.3");
    CHECK(allow("10.0.0.0/8").allows(IpBytes::of(mapped)));
    CHECK_FALSE(allow("::ffff:0:0/96").allows(IpBytes::of(mapped)));  // compared as IPv4
}

TEST_CASE("allow_from and trusted_proxies: a malformed entry is refused, named with its widget") {
    for (const char *widget : {"allow_from", "trusted_proxies"}) {
        CAPTURE(widget);
        for (const char *bad : {"10.0.0.0/33", "::/129", "10.0.0", "10.0.0.256", "example.com",
                                "10.0.0.0/", "10.0.0.0/8/8", "10.0.0.1,", "1.2.3.4, ,5.6.7.8",
                                "0x7f.0.0.1", "10.0.0.0/-1", "fe80::1%lo", "10.0.0.1:80"}) {
            CAPTURE(bad);
            AccessSettings s;
            REQUIRE(set_error(s, widget, "192.0.2.1") == "");
            const std::string error = set_error(s, widget, bad);
            CHECK(error.find(std::string(widget) + " entry \"") == 0);
            CHECK(error.find("is not an IPv4 or IPv6 address or CIDR range") != std::string::npos);
            CHECK(std::string(s.get(widget)) == "192.0.2.1");  // the previous value stays
        }
        AccessSettings s;
        const std::string error = set_error(s, widget, "127.0.0.1, 10.0.0.0/40, ::1");
        CHECK(error.find("\"10.0.0.0/40\"") != std::string::npos);
    }
}

TEST_CASE("delivery cache: a repeat inside the window is a duplicate, outside it is not") {
    DeliveryCache cache(60);
    CHECK(deliver(cache, "msg_1", 1000));
    CHECK_FALSE(deliver(cache, "msg_1", 1000));
    CHECK_FALSE(deliver(cache, "msg_1", 1059));
    CHECK(deliver(cache, "msg_2", 1059));
    CHECK(cache.size() == 2);
    CHECK(deliver(cache, "msg_1", 1060));  // expired and evicted, then accepted anew
    CHECK(cache.size() == 2);
    CHECK_FALSE(deliver(cache, "msg_1", 1119));
}

TEST_CASE("delivery cache: a refused delivery is not remembered, so its retry runs") {
    DeliveryCache cache(60);
    CHECK(cache.claim("msg_1", 1000).outcome == Outcome::claimed);  // dropped without accept: refused
    CHECK(cache.size() == 0);
    CHECK(deliver(cache, "msg_1", 1001));
    CHECK_FALSE(deliver(cache, "msg_1", 1002));
}

TEST_CASE("delivery cache: a second delivery of an id being offered is busy at once, never waits") {
    DeliveryCache cache(60);
    for (const bool first_accepted : {true, false}) {
        const std::string id = first_accepted ? "accepted first" : "refused first";
        auto first = cache.claim(id, 1000);
        REQUIRE(first.outcome == Outcome::claimed);
        // Another thread, as another event loop would: it returns while the
        // first is still being offered, told busy.
        Outcome second = Outcome::claimed;
        std::thread other([&] { second = cache.claim(id, 1000).outcome; });
        other.join();
        CHECK(second == Outcome::busy);
        if (first_accepted) first.claim->accept();
        first.claim.reset();
        // Accepted: a retry is its duplicate. Refused: a retry runs.
        CHECK(cache.claim(id, 1001).outcome ==
              (first_accepted ? Outcome::duplicate : Outcome::claimed));
    }
}

TEST_CASE("delivery cache: memory is bounded, the oldest forgotten first") {
    DeliveryCache cache(3600, 3);
    for (int i = 0; i < 5; ++i) REQUIRE(deliver(cache, "id" + std::to_string(i), 100 + i));
    CHECK(cache.size() == 3);
    CHECK_FALSE(deliver(cache, "id2", 110));
    CHECK_FALSE(deliver(cache, "id4", 110));
    CHECK(deliver(cache, "id1", 110));  // forgotten: accepted anew, and id2 goes
    CHECK(cache.size() == 3);
    CHECK(deliver(cache, "id2", 110));
    const std::string huge(100000, 'x');  // a huge id costs a digest
    CHECK(deliver(cache, huge, 111));
    CHECK_FALSE(deliver(cache, huge, 111));
    CHECK(cache.size() == 3);
}

TEST_CASE("secret from the environment; an unset variable is refused, named") {
    REQUIRE(setenv("NB_AUTH_TEST_SECRET", "from-the-env", 1) == 0);
    REQUIRE(unsetenv("NB_AUTH_TEST_UNSET") == 0);
    std::string error;
    CHECK(*resolve_secret("env:NB_AUTH_TEST_SECRET", error) == "from-the-env");
    CHECK(*resolve_secret("literal", error) == "literal");
    CHECK_FALSE(resolve_secret("env:NB_AUTH_TEST_UNSET", error));
    CHECK(error == "secret: environment variable NB_AUTH_TEST_UNSET is not set");
    for (const char *bad : {"env:", "env:1ABC", "env:A-B", "env:A B"}) {
        CAPTURE(bad);
        CHECK_FALSE(resolve_secret(bad, error));
        CHECK(error.find("secret env:NAME needs a variable name") == 0);
    }
}

TEST_CASE("access widgets: defaults are the seed's open behaviour") {
    const AccessSettings s;
    CHECK(s.scheme() == Scheme::none);
    CHECK(std::string(s.get("auth")) == "none");
    CHECK(std::string(s.get("secret")) == "");
    CHECK(s.tolerance_s() == 300);
    CHECK(std::string(s.get("tolerance_s")) == "300");
    CHECK(s.dedupe_window_s() == 0);
    CHECK(std::string(s.get("allow_from")) == "");
    CHECK(s.allow_from().allows(ip("198.51.100.7")));
    CHECK(s.bind().empty());
    CHECK(std::string(s.get("trusted_proxies")) == "");
    CHECK(s.get("port") == nullptr);
}

TEST_CASE("access widgets: invalid values are refused and the previous value stays") {
    AccessSettings s;
    CHECK(set_error(s, "auth", "github") == "");
    CHECK(set_error(s, "auth", "hmac").find("auth must be one of none, github") == 0);
    CHECK(std::string(s.get("auth")) == "github");
    CHECK(set_error(s, "tolerance_s", "0").find("tolerance_s must be an integer in 1") == 0);
    CHECK(set_error(s, "dedupe_window_s", "604801").find("dedupe_window_s must be") == 0);
    CHECK(set_error(s, "allow_from", "10.0.0.0/8") == "");
    CHECK(set_error(s, "allow_from", "10.0.0.0/8,bad").find("\"bad\"") != std::string::npos);
    CHECK(std::string(s.get("allow_from")) == "10.0.0.0/8");
    CHECK_FALSE(s.allow_from().allows(ip("11.0.0.1")));
    CHECK(set_error(s, "bind", "0:0:0:0:0:0:0:1") == "");
    CHECK(std::string(s.get("bind")) == "::1");  // canonical
    for (const char *bad : {"localhost", "127.1", "*", " 127.0.0.1"}) {
        CAPTURE(bad);
        CHECK(set_error(s, "bind", bad).find("bind must be an IPv4 or IPv6 address") == 0);
        CHECK(s.bind() == "::1");
    }
}

TEST_CASE("access widgets: the secret is never read back, and the mask keeps it") {
    REQUIRE(setenv("NB_AUTH_TEST_SECRET", "from-the-env", 1) == 0);
    REQUIRE(unsetenv("NB_AUTH_TEST_UNSET") == 0);
    AccessSettings s;
    CHECK(set_error(s, "secret", "hunter2-literal") == "");
    CHECK(s.secret() == "hunter2-literal");
    CHECK(std::string(s.get("secret")) == "***");
    CHECK(set_error(s, "secret", "***") == "");  // a host writing back what it read
    CHECK(s.secret() == "hunter2-literal");
    const std::string refused = set_error(s, "secret", "env:NB_AUTH_TEST_UNSET");
    CHECK(refused == "secret: environment variable NB_AUTH_TEST_UNSET is not set");
    CHECK(s.secret() == "hunter2-literal");  // the previous value stays
    CHECK(std::string(s.get("secret")) == "***");
    CHECK(set_error(s, "secret", "env:NB_AUTH_TEST_SECRET") == "");
    CHECK(s.secret() == "from-the-env");
    CHECK(std::string(s.get("secret")) == "env:NB_AUTH_TEST_SECRET");
    CHECK(set_error(s, "secret", "") == "");
    CHECK(std::string(s.get("secret")) == "");
}
