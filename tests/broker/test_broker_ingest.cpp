#include <doctest/doctest.h>

#include "broker/ingest.hpp"
#include "broker_fixture.hpp"

using namespace nb::host;
using nb::test::Lines;
using nb::test::RedisServer;

using nb::test::append;

TEST_CASE("ingest: an event is in its node's stream, fields and all, when its sender is told") {
    nb::test::Broker b(100);
    CHECK(append(b.ingest, "hello") == "stored");
    CHECK(b.redis.integer("XLEN nb:wf:hook") == 1);
    const std::string entry = b.redis.command("XRANGE nb:wf:hook - +");
    for (const char *field : {"method", "POST", "path", "/in", "body", "hello", "remote_addr", "accepted_at"}) {
        CHECK(entry.find(field) != std::string::npos);
    }
}

TEST_CASE("ingest: a delivery id seen within its window is a duplicate, and only its first is stored") {
    nb::test::Broker b(100);
    CHECK(append(b.ingest, "one", "d-1") == "stored");
    CHECK(append(b.ingest, "again", "d-1") == "duplicate");
    CHECK(append(b.ingest, "other", "d-2") == "stored");
    CHECK(b.redis.integer("XLEN nb:wf:hook") == 2);
    const long long ttl = b.redis.integer("TTL nb:wf:hook:seen:d-1");
    CHECK(ttl > 50);
    CHECK(ttl <= 60);
}

TEST_CASE("ingest: a second ingest on the same Redis sees the first one's delivery ids") {
    nb::test::Broker b(100);
    BrokerIngest second(b.link, b.outage, {"wf", 100});
    CHECK(append(b.ingest, "one", "shared") == "stored");
    CHECK(append(second, "one", "shared") == "duplicate");
}

TEST_CASE("ingest: a stream holding --max-backlog entries refuses as full, and leaves no dedupe key") {
    nb::test::Broker b(2);
    CHECK(append(b.ingest, "1") == "stored");
    CHECK(append(b.ingest, "2") == "stored");
    const std::string third = append(b.ingest, "3", "d-3");
    CHECK(third.rfind("full: ", 0) == 0);
    CHECK(third.find("--max-backlog (2)") != std::string::npos);
    CHECK(b.redis.integer("EXISTS nb:wf:hook:seen:d-3") == 0);
    b.redis.command("XTRIM nb:wf:hook MAXLEN 0");
    CHECK(append(b.ingest, "3", "d-3") == "stored");
}

TEST_CASE("ingest: while Redis is away every event is refused at once; once it is back, stored again") {
    nb::test::Broker b(100);
    CHECK(append(b.ingest, "before") == "stored");
    b.redis.kill9();
    for (int i = 0; i < 5; ++i) CHECK(append(b.ingest, "while down").rfind("failed: ", 0) == 0);
    b.redis.start();  // the AOF (appendfsync always) still holds the first
    std::string answer;
    for (int i = 0; i < 100 && answer != "stored"; ++i) {
        answer = append(b.ingest, "after");
        if (answer != "stored") std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(answer == "stored");
    CHECK(b.redis.integer("XLEN nb:wf:hook") == 2);
    CHECK(b.lines.containing("lost Redis at 127.0.0.1:" + std::to_string(b.redis.port())) == 1);
    CHECK(b.lines.containing("is back") == 1);
}

TEST_CASE("ingest: after close, an append is refused at once") {
    nb::test::Broker b(100);
    b.ingest.close();
    CHECK(append(b.ingest, "late") == "failed: nb-host is shutting down");
}

TEST_CASE("ingest: a Redis that cannot be reached, or refuses us, fails at start naming it") {
    Lines lines;
    Outage outage(lines.log());
    LinkSettings link;
    link.url = parse_redis_url("redis://127.0.0.1:" + std::to_string(nb::test::free_port()));
    const std::string unreachable = "cannot reach Redis at " + link.url.address();
    CHECK_THROWS_WITH_AS(BrokerIngest(link, outage, {"wf", 1}), doctest::Contains(unreachable.c_str()), BrokerLost);
    RedisServer locked({"--requirepass", "right"});
    link = nb::test::settings_for(locked);
    CHECK_THROWS_WITH_AS(BrokerIngest(link, outage, {"wf", 1}), doctest::Contains("needs a password"), BrokerError);
    link.url.password = "wrong";
    CHECK_THROWS_WITH_AS(BrokerIngest(link, outage, {"wf", 1}), doctest::Contains("refused the password"), BrokerError);
    link.url.password = "right";
    BrokerIngest ingest(link, outage, {"wf", 1});
    CHECK(append(ingest, "ok") == "stored");
}
