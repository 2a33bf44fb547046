// What the plugin counts and records, over real HTTP to started nodes: every
// refusal under its reason and status, histograms counting every request,
// open connections, unrouted requests per port, and the access records a
// host offering NB_EXT_ACCESS_LOG gets (without bodies or secrets).
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "fake_host.hpp"
#include "listeners/registry.hpp"
#include "metrics_sink.hpp"
#include "net_helpers.hpp"
#include "test_node.hpp"

using namespace nb::test;
using namespace std::chrono_literals;

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

CollectedMetrics scrape() {
    return CollectedMetrics(
        [](const nb_metrics_sink_t *sink) { nb::webhook::ListenerRegistry::instance().report(*sink); });
}

// The counts are taken once the answer's last byte is written, which the
// client may read first: a scrape waits for them.
bool eventually(const std::function<bool(const CollectedMetrics &)> &holds) {
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < until) {
        if (holds(scrape())) return true;
        std::this_thread::sleep_for(10ms);
    }
    return holds(scrape());
}

double requests(const CollectedMetrics &m, const std::string &node, const std::string &code) {
    return m.value("nb_webhook_requests_total", {{"node", node}, {"code", code}});
}

double refusals(const CollectedMetrics &m, const std::string &node, const std::string &reason) {
    return m.value("nb_webhook_refusals_total", {{"node", node}, {"reason", reason}});
}

std::uint64_t histogram_count(const CollectedMetrics &m, const std::string &family,
                              const std::string &node) {
    const auto *sample = m.sample(family, {{"node", node}});
    return sample ? sample->count() : 0;
}

// A started node on a free port.
struct Started {
    Started(FakeHost &host, const std::string &id,
            const std::vector<std::pair<const char *, std::string>> &widgets)
        : node(host, id, port) {
        for (const auto &[name, value] : widgets) REQUIRE(node.set(name, value) == NB_OK);
        REQUIRE_MESSAGE(node.start() == NB_OK, node.error());
    }
    ~Started() { node.stop(); }

    HttpReply post(const std::string &body, const Headers &headers = {},
                   const std::string &target = "/webhook") {
        HttpRequest req;
        req.target = target;
        req.body = body;
        req.headers = headers;
        return http_request(port, req);
    }

    std::uint16_t port = free_port();
    TestNode node;
};

const Headers kToken = {{"Authorization", "Bearer tok-SECRET-123"}};

// The Standard Webhooks reference vector, signed in 2021: too old today.
const std::string kSwSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const Headers kSwHeaders = {{"webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"},
                            {"webhook-timestamp", "1614265330"},
                            {"webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}};

}  // namespace

TEST_CASE("every refusal is counted under its reason, with its status; histograms count every request") {
    FakeHost host;
    Started s(host, "m-refusals",
              {{"auth", "token"}, {"secret", "tok-SECRET-123"}, {"max_body_bytes", "8"},
               {"dedupe_window_s", "60"}, {"read_timeout_s", "1"}});
    HttpRequest get;
    get.method = "GET";
    CHECK(http_request(s.port, get).status == 405);
    CHECK(s.post("123456789", kToken).status == 413);
    CHECK(s.post("ok", {{"Authorization", "Bearer wrong"}}).status == 401);
    CHECK(s.post("\xff", kToken).status == 400);
    std::string many = "/webhook?";
    for (int i = 0; i <= 1000; ++i) many += "p" + std::to_string(i) + "=1&";
    CHECK(s.post("ok", kToken, many).status == 414);
    Headers with_id = kToken;
    with_id.emplace_back("Idempotency-Key", "delivery-1");
    CHECK(s.post("ok", with_id).status == 200);
    CHECK(s.post("ok", with_id).status == 200);  // a duplicate
    host.answer(NB_TRIGGER_QUEUE_FULL);
    CHECK(s.post("ok", kToken).status == 503);
    host.answer(NB_TRIGGER_FAILED);
    CHECK(s.post("ok", kToken).status == 503);
    host.answer(NB_TRIGGER_ACCEPTED);
    const std::string head = "POST /webhook HTTP/1.1\r\nHost: x\r\n";
    CHECK(raw_status(raw_exchange(s.port, head + "Content-Length: 5\r\n\r\nab")) == 408);
    CHECK(raw_status(raw_exchange(s.port, head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n")) == 400);
    CHECK(raw_status(raw_exchange(s.port, head + "Transfer-Encoding: chunked\r\n\r\n9\r\n")) == 413);
    constexpr int kRequests = 12;

    FakeHost late_host(true);
    late_host.block_triggers();
    Started slow(late_host, "m-slow", {{"response_timeout_s", "1"}});
    CHECK(slow.post("ok").status == 504);
    late_host.unblock_triggers();

    FakeHost other;
    Started replayed(other, "m-replay", {{"auth", "standard-webhooks"}, {"secret", kSwSecret}});
    CHECK(replayed.post(R"({"test": 2432232314})", kSwHeaders).status == 401);
    Started barred(other, "m-allow", {{"allow_from", "10.0.0.0/8"}});
    CHECK(barred.post("ok").status == 403);

    REQUIRE(eventually([](const CollectedMetrics &m) {
        return histogram_count(m, "nb_webhook_request_duration_seconds", "m-refusals") == kRequests &&
               histogram_count(m, "nb_webhook_request_duration_seconds", "m-slow") == 1 &&
               histogram_count(m, "nb_webhook_request_duration_seconds", "m-replay") == 1 &&
               histogram_count(m, "nb_webhook_request_duration_seconds", "m-allow") == 1;
    }));
    const CollectedMetrics m = scrape();
    const std::string n = "m-refusals";
    CHECK(refusals(m, n, "method") == 1);
    CHECK(refusals(m, n, "too_large") == 2);
    CHECK(refusals(m, n, "signature") == 1);
    CHECK(refusals(m, n, "bad_utf8") == 1);
    CHECK(refusals(m, n, "too_many_parameters") == 1);
    CHECK(refusals(m, n, "duplicate") == 1);
    CHECK(refusals(m, n, "backpressure") == 1);
    CHECK(refusals(m, n, "stopping") == 1);
    CHECK(refusals(m, n, "timeout") == 1);
    CHECK(refusals(m, n, "malformed") == 1);
    CHECK(refusals(m, n, "replay") == 0);
    CHECK(refusals(m, "m-replay", "replay") == 1);
    CHECK(refusals(m, "m-replay", "signature") == 0);
    CHECK(refusals(m, "m-allow", "allow_from") == 1);
    CHECK(refusals(m, "m-slow", "response_timeout") == 1);

    CHECK(requests(m, n, "200") == 2);
    CHECK(requests(m, n, "400") == 2);
    CHECK(requests(m, n, "401") == 1);
    CHECK(requests(m, n, "405") == 1);
    CHECK(requests(m, n, "408") == 1);
    CHECK(requests(m, n, "413") == 2);
    CHECK(requests(m, n, "414") == 1);
    CHECK(requests(m, n, "503") == 2);
    CHECK(requests(m, "m-slow", "504") == 1);
    CHECK(requests(m, "m-replay", "401") == 1);
    CHECK(requests(m, "m-allow", "403") == 1);
    CHECK(histogram_count(m, "nb_webhook_body_bytes", n) == kRequests);
    const auto *bodies = m.sample("nb_webhook_body_bytes", {{"node", n}});
    REQUIRE(bodies);
    // "ok" read 5 times (2 B), "\xff" (1), 2 B of a 5-byte body; the 405, 413s and 414
    // were refused before their body.
    CHECK(bodies->sum == 5 * 2 + 1 + 2);
    CHECK(bodies->upper_bounds.size() == 10);

    // One family call each, in the documented order.
    std::vector<std::string> names;
    for (const auto &family : m.families()) names.push_back(family.name);
    CHECK(names == std::vector<std::string>{
                       "nb_webhook_requests_total", "nb_webhook_refusals_total",
                       "nb_webhook_request_duration_seconds", "nb_webhook_body_bytes",
                       "nb_webhook_open_connections", "nb_webhook_unrouted_requests_total"});
    CHECK(m.family("nb_webhook_request_duration_seconds")->kind == NB_METRIC_HISTOGRAM);
    CHECK(m.family("nb_webhook_open_connections")->kind == NB_METRIC_GAUGE);
    CHECK(m.family("nb_webhook_refusals_total")->kind == NB_METRIC_COUNTER);
}

TEST_CASE("open connections rise and fall; unrouted requests are counted per port") {
    FakeHost host;
    Started a(host, "m-conn-a", {});
    Started b(host, "m-conn-b", {});
    const std::string port = std::to_string(a.port);
    std::vector<Poco::Net::StreamSocket> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(connect_raw(a.port));
        send_all(clients.back(), "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok");
        CHECK(raw_status(read_answer(clients.back(), 5000ms)) == 200);
    }
    CHECK(eventually([&](const CollectedMetrics &m) {
        return m.value("nb_webhook_open_connections", {{"port", port}}) == 3;
    }));
    clients.clear();
    CHECK(eventually([&](const CollectedMetrics &m) {
        return m.value("nb_webhook_open_connections", {{"port", port}}) == 0;
    }));

    CHECK(a.post("x", {}, "/nope").status == 404);
    CHECK(a.post("x", {}, "/Webhook").status == 404);
    CHECK(raw_status(raw_exchange(a.port, "NOT HTTP\r\n\r\n")) == 400);
    CHECK(b.post("x", {}, "/other").status == 404);
    const std::string other = std::to_string(b.port);
    CHECK(eventually([&](const CollectedMetrics &m) {
        return m.value("nb_webhook_unrouted_requests_total", {{"port", port}, {"code", "404"}}) == 2 &&
               m.value("nb_webhook_unrouted_requests_total", {{"port", port}, {"code", "400"}}) == 1 &&
               m.value("nb_webhook_unrouted_requests_total", {{"port", other}, {"code", "404"}}) == 1;
    }));
    // Unrouted requests are no node's.
    CHECK(requests(scrape(), "m-conn-a", "404") == 0);
}

TEST_CASE("a node's counts go on across stop and start; a destroyed node's disappear") {
    FakeHost host;
    const std::uint16_t port = free_port();
    auto node = std::make_unique<TestNode>(host, "m-restart", port);
    HttpRequest req;
    req.body = "ok";
    REQUIRE(node->start() == NB_OK);
    CHECK(http_request(port, req).status == 200);
    node->stop();  // every exchange has ended once stop returns
    CHECK(requests(scrape(), "m-restart", "200") == 1);
    REQUIRE(node->start() == NB_OK);
    CHECK(http_request(port, req).status == 200);
    node->stop();
    CHECK(requests(scrape(), "m-restart", "200") == 2);
    node.reset();
    const CollectedMetrics m = scrape();
    CHECK(m.sample("nb_webhook_refusals_total", {{"node", "m-restart"}, {"reason", "method"}}) ==
          nullptr);
    CHECK(m.sample("nb_webhook_request_duration_seconds", {{"node", "m-restart"}}) == nullptr);
}

TEST_CASE("access records: fields of an accepted, a refused and an unrouted request; no body, no secret") {
    FakeHost host;
    host.offer_access_log();
    Started s(host, "m-access",
              {{"auth", "token"}, {"secret", "tok-SECRET-123"}, {"trusted_proxies", "127.0.0.1"}});
    Headers headers = kToken;
    headers.emplace_back("X-Forwarded-For", "203.0.113.9");
    headers.emplace_back("X-GitHub-Delivery", "delivery-42");
    CHECK(s.post("BODY-MARKER-1", headers, "/webhook?token=QUERY-SECRET").status == 200);
    CHECK(s.post("BODY-MARKER-2", {{"Authorization", "Bearer tok-SECRET-124"}}).status == 401);
    CHECK(s.post("BODY-MARKER-3", kToken, "/elsewhere?token=QUERY-SECRET").status == 404);
    REQUIRE(host.wait_for_access_records(3, 10s));
    // A record is made once its answer is out, on whichever loop served it:
    // the three may arrive in any order. Their statuses order them.
    auto records = host.access_records();
    REQUIRE(records.size() == 3);
    std::sort(records.begin(), records.end(),
              [](const RecordedAccess &a, const RecordedAccess &b) { return a.status < b.status; });

    const RecordedAccess &ok = records[0];
    CHECK(ok.node == s.node.abi());
    CHECK(ok.client == "203.0.113.9");
    CHECK(ok.method == "POST");
    CHECK(ok.path == "/webhook");
    CHECK(ok.port == s.port);
    CHECK(ok.status == 200);
    CHECK(ok.body_bytes == 13);
    CHECK(ok.delivery_id == "delivery-42");
    CHECK(ok.refusal == "");

    const RecordedAccess &refused = records[1];
    CHECK(refused.node == s.node.abi());
    CHECK(refused.client.rfind("127.0.0.1:", 0) == 0);
    CHECK(refused.status == 401);
    CHECK(refused.refusal == "signature");
    CHECK(refused.delivery_id == "");

    const RecordedAccess &unrouted = records[2];
    CHECK(unrouted.node == nullptr);
    CHECK(unrouted.path == "/elsewhere");
    CHECK(unrouted.status == 404);
    CHECK(unrouted.port == s.port);
    CHECK(unrouted.refusal == "");

    for (const RecordedAccess &r : records) {
        for (const std::string *field : {&r.client, &r.method, &r.path, &r.delivery_id, &r.refusal}) {
            CAPTURE(*field);
            CHECK(field->find("BODY-MARKER") == std::string::npos);
            CHECK(field->find("SECRET") == std::string::npos);
        }
    }
}

TEST_CASE("a host without NB_EXT_ACCESS_LOG gets no record") {
    FakeHost host;
    Started s(host, "m-no-access", {});
    CHECK(s.post("ok").status == 200);
    CHECK(s.post("ok", {}, "/nope").status == 404);
    CHECK(eventually([](const CollectedMetrics &m) { return requests(m, "m-no-access", "200") == 1; }));
    CHECK(host.access_records().empty());
}
