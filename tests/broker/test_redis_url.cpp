#include <cstdlib>

#include <doctest/doctest.h>

#include "broker/redis_url.hpp"

using nb::host::BrokerError;
using nb::host::parse_redis_url;
using nb::host::resolve_broker_url;

TEST_CASE("a broker URL gives host, port, password and database; defaults fill the rest") {
    const auto plain = parse_redis_url("redis://127.0.0.1");
    CHECK(plain.host == "127.0.0.1");
    CHECK(plain.port == 6379);
    CHECK(plain.password.empty());
    CHECK(plain.db == 0);
    const auto full = parse_redis_url("redis://:s%40cret@redis.internal:6380/3");
    CHECK(full.host == "redis.internal");
    CHECK(full.port == 6380);
    CHECK(full.password == "s@cret");
    CHECK(full.user.empty());
    CHECK(full.db == 3);
    const auto acl = parse_redis_url("redis://nb:pw@h:1");
    CHECK(acl.user == "nb");
    CHECK(acl.password == "pw");
    const auto v6 = parse_redis_url("redis://[::1]:7000");
    CHECK(v6.host == "::1");
    CHECK(v6.address() == "[::1]:7000");
}

TEST_CASE("a bad broker URL says what is wrong and never echoes the password") {
    for (const char *bad : {"http://h:1", "h:6379", "redis://", "redis://:pw@h:1/x", "redis://:pw@h:1/1?x=1",
                            "redis://pw@h:1"}) {
        CAPTURE(bad);
        try {
            parse_redis_url(bad);
            FAIL("accepted");
        } catch (const BrokerError &e) {
            const std::string why = e.what();
            CHECK(why.find("redis://[:PASSWORD@]HOST[:PORT][/DB]") != std::string::npos);
            CHECK(why.find("pw") == std::string::npos);
        }
    }
}

TEST_CASE("env:NAME reads the URL from the environment, so no password shows in ps") {
    ::setenv("NB_TEST_BROKER_URL", "redis://:pw@h:1", 1);
    CHECK(resolve_broker_url("env:NB_TEST_BROKER_URL") == "redis://:pw@h:1");
    CHECK(resolve_broker_url("redis://h:1") == "redis://h:1");
    ::unsetenv("NB_TEST_BROKER_URL");
    CHECK_THROWS_WITH_AS(resolve_broker_url("env:NB_TEST_BROKER_URL"),
                         doctest::Contains("NB_TEST_BROKER_URL is not set"), BrokerError);
}
