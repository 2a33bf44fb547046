#include <condition_variable>
#include <deque>

#include <doctest/doctest.h>

#include "broker/consumer.hpp"
#include "broker/ingest.hpp"
#include "broker_fixture.hpp"

using namespace nb::host;
using nb::test::Lines;
using nb::test::RedisServer;
using nb::test::Waiter;

namespace {

// What a consumer delivered, for the test to take one at a time.
struct Deliveries {
    std::mutex mutex;
    std::condition_variable arrived;
    std::deque<Delivery> queue;

    StreamConsumer::Deliver deliver() {
        return [this](Delivery &&d) {
            std::lock_guard lock(mutex);
            queue.push_back(std::move(d));
            arrived.notify_all();
        };
    }
    std::optional<Delivery> next(std::chrono::milliseconds within = std::chrono::seconds(10)) {
        std::unique_lock lock(mutex);
        if (!arrived.wait_for(lock, within, [&] { return !queue.empty(); })) return std::nullopt;
        Delivery d = std::move(queue.front());
        queue.pop_front();
        return d;
    }
};

ConsumerSettings consumer(const std::string &name, std::chrono::milliseconds claim_after = std::chrono::seconds(30)) {
    ConsumerSettings s;
    s.workflow = "wf";
    s.nodes = {"hook"};
    s.name = name;
    s.claim_after = claim_after;
    s.block = std::chrono::milliseconds(100);
    s.prefetch = 4;
    s.retries = 1;
    return s;
}

void post(BrokerIngest &ingest, std::string body) { REQUIRE(nb::test::append(ingest, std::move(body)) == "stored"); }

// Polls an integer reply until it equals `want` (acknowledgements are sent
// by the consumer's own thread).
bool becomes(const RedisServer &redis, const std::string &command, long long want) {
    for (int i = 0; i < 200; ++i) {
        if (redis.integer(command) == want) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

// A broker with one worker, "w1", reading it.
struct Working : nb::test::Broker {
    Deliveries got;
    StreamConsumer worker{link, outage, consumer("w1"), got.deliver(), log};

    Working() { worker.start(); }

    // Posts `body` and returns its delivery to w1.
    Delivery first(const std::string &body) {
        post(ingest, body);
        auto d = got.next();
        REQUIRE(d);
        return std::move(*d);
    }
};

}  // namespace

TEST_CASE("consumer: an entry is delivered with its event, and once finished it leaves the stream") {
    Working b;
    const Delivery d = b.first("payload");
    CHECK(d.source == 0);
    CHECK(d.event.body == "payload");
    CHECK(d.event.method == "POST");
    CHECK(d.event.node == "hook");
    CHECK(d.event.attempts == 0);
    CHECK(entry_number(entry_id_of(static_cast<std::uint64_t>(d.event.id))) == static_cast<std::uint64_t>(d.event.id));
    CHECK(b.redis.integer("XLEN nb:wf:hook") == 1);
    b.worker.finished(0, static_cast<std::uint64_t>(d.event.id));
    b.worker.done();
    CHECK(becomes(b.redis, "XLEN nb:wf:hook", 0));
    CHECK(b.redis.command("XPENDING nb:wf:hook nb-workers").rfind("*4\r\n:0", 0) == 0);
}

TEST_CASE("consumer: it holds at most prefetch entries not done; the rest wait in the stream") {
    Working b;
    for (int i = 0; i < 6; ++i) post(b.ingest, "e" + std::to_string(i));
    std::vector<Delivery> held;
    for (int i = 0; i < 4; ++i) {
        auto d = b.got.next();
        REQUIRE(d);
        held.push_back(std::move(*d));
    }
    CHECK_FALSE(b.got.next(std::chrono::milliseconds(300)));
    b.worker.done();
    CHECK(b.got.next());
}

TEST_CASE("consumer: a retry claims the entry back and delivers it as the next run") {
    Working b;
    const Delivery first = b.first("flaky");
    b.worker.done();
    b.worker.retry(0, static_cast<std::uint64_t>(first.event.id), 1, std::chrono::milliseconds(0));
    auto again = b.got.next();
    REQUIRE(again);
    CHECK(again->event.id == first.event.id);
    CHECK(again->event.attempts == 1);
    CHECK(again->event.body == "flaky");
}

TEST_CASE("consumer: a retry of an entry another worker took over meanwhile is dropped") {
    Working b;
    const Delivery first = b.first("taken");
    const std::string id = entry_id_of(static_cast<std::uint64_t>(first.event.id));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    b.redis.command("XCLAIM nb:wf:hook nb-workers other 0 " + id);
    b.worker.retry(0, static_cast<std::uint64_t>(first.event.id), 1, std::chrono::milliseconds(1000));
    CHECK_FALSE(b.got.next(std::chrono::milliseconds(500)));
}

TEST_CASE("consumer: a dead letter leaves the stream for its dead letters, with its error and runs") {
    Working b;
    const Delivery d = b.first("doomed");
    b.worker.dead_letter(0, static_cast<std::uint64_t>(d.event.id), "sink: disk full", 2);
    b.worker.done();
    CHECK(becomes(b.redis, "XLEN nb:wf:hook:dead", 1));
    CHECK(b.redis.integer("XLEN nb:wf:hook") == 0);
    const std::string dead = b.redis.command("XRANGE nb:wf:hook:dead - +");
    for (const char *field : {"doomed", "sink: disk full", "attempts", "entry", "failed_at"}) {
        CHECK(dead.find(field) != std::string::npos);
    }
}

TEST_CASE("consumer: an entry whose worker stopped is taken over by another after --claim-after") {
    nb::test::Broker b;
    Deliveries lost_worker, got;
    auto stopped = std::make_unique<StreamConsumer>(b.link, b.outage, consumer("w-stopped"), lost_worker.deliver(), b.log);
    stopped->start();
    post(b.ingest, "orphan");
    REQUIRE(lost_worker.next());
    stopped->stop_fetching();  // never finishes it: as if killed mid-run
    StreamConsumer rescuer(b.link, b.outage, consumer("w-rescuer", std::chrono::milliseconds(200)), got.deliver(), b.log);
    rescuer.start();
    auto d = got.next();
    REQUIRE(d);
    CHECK(d->event.body == "orphan");
    CHECK(d->event.attempts == 1);
    CHECK(b.lines.containing("took over 1 entries of nb:wf:hook") == 1);
}

TEST_CASE("consumer: an entry delivered too often without finishing goes to the dead letters when claimed") {
    nb::test::Broker b;
    Deliveries got;
    // Five deliveries that never finished: retries 1 allows 1 + 3 more.
    b.redis.command("XADD nb:wf:hook 1-1 method POST body poison");
    b.redis.command("XGROUP CREATE nb:wf:hook nb-workers 0");
    b.redis.command("XREADGROUP GROUP nb-workers crashed COUNT 1 STREAMS nb:wf:hook >");
    b.redis.command("XCLAIM nb:wf:hook nb-workers crashed 0 1-1 IDLE 1000 RETRYCOUNT 5");
    StreamConsumer worker(b.link, b.outage, consumer("w1", std::chrono::milliseconds(50)), got.deliver(), b.log);
    worker.start();
    CHECK(becomes(b.redis, "XLEN nb:wf:hook:dead", 1));
    CHECK_FALSE(got.next(std::chrono::milliseconds(200)));
    CHECK(b.redis.integer("XLEN nb:wf:hook") == 0);
    CHECK(b.lines.containing("delivered 6 times without finishing") == 1);
}

TEST_CASE("consumer: acknowledgements made while Redis is away are sent once it is back") {
    Working b;
    const Delivery d = b.first("kept");
    b.redis.kill9();
    b.worker.finished(0, static_cast<std::uint64_t>(d.event.id));
    b.worker.done();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    b.redis.start();
    CHECK(becomes(b.redis, "XLEN nb:wf:hook", 0));
    CHECK(b.lines.containing("is back") == 1);
}

TEST_CASE("consumer: after Redis was away, its own entries lost on the way run at once, those it holds do not") {
    Working b;
    for (int i = 0; i < 4; ++i) post(b.ingest, "held");
    for (int i = 0; i < 4; ++i) REQUIRE(b.got.next());
    // Full (prefetch 4): a fifth entry delivered to w1 whose reply never came.
    post(b.ingest, "lost on the way");
    b.redis.command("XREADGROUP GROUP nb-workers w1 COUNT 1 STREAMS nb:wf:hook >");
    b.redis.kill9();
    b.redis.start();
    b.worker.done();  // room: the fetcher finds Redis gone, and back
    auto d = b.got.next(std::chrono::seconds(5));
    REQUIRE(d);
    CHECK(d->event.body == "lost on the way");
    CHECK_FALSE(b.got.next(std::chrono::milliseconds(500)));
    CHECK(b.lines.containing("were delivered while Redis went away") == 1);
}
