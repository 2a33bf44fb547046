// Verified senders end to end: real listeners on loopback, a fake host
// counting triggers.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>

#include "auth/digest.hpp"
#include "fake_host.hpp"
#include "net_helpers.hpp"
#include "test_node.hpp"

using namespace nb::test;
using namespace std::chrono_literals;

namespace {

using Widgets = std::vector<std::pair<const char *, std::string>>;
using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr const char *kDuplicate = R"({"status":"ok","duplicate":true})";

// A started node on a free port with `widgets`, its clock set by the test.
struct Served {
    FakeHost host;
    std::uint16_t port = free_port();
    TestNode node{host, "hook", port};
    std::shared_ptr<std::atomic<std::int64_t>> now =
        std::make_shared<std::atomic<std::int64_t>>(0);

    explicit Served(const Widgets &widgets, bool real_clock = false) {
        for (const auto &[name, value] : widgets) REQUIRE(node.set(name, value) == NB_OK);
        if (!real_clock) node.impl().set_clock([now = now] { return now->load(); });
        REQUIRE_MESSAGE(node.start() == NB_OK, node.error());
    }
    ~Served() { node.stop(); }

    HttpReply post(const std::string &body, const Headers &headers) {
        HttpRequest req;
        req.body = body;
        req.headers = headers;
        return http_request(port, req);
    }
};

void check_json_error(const HttpReply &reply, int status, const std::string &says) {
    CHECK(reply.status == status);
    CHECK(reply.header("content-type") == "application/json");
    CHECK(reply.body.rfind(R"({"status":"error","error":")", 0) == 0);
    CHECK(reply.body.find(says) != std::string::npos);
}

// GitHub's documented vector.
const std::string kGithubSecret = "It's a Secret to Everybody";
const std::string kGithubSignature =
    "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
// The Standard Webhooks reference vector.
const std::string kSwSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const std::string kSwBody = R"({"test": 2432232314})";
const Headers kSwHeaders = {{"webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"},
                            {"webhook-timestamp", "1614265330"},
                            {"webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}};
// A svix-signed delivery with svix's default header names (test_schemes.cpp
// says how it was made).
const std::string kSvixSecret = "whsec_bmItd2ViaG9vayBzdml4IHRlc3Qga2V5IDMyIGJ5dGU=";
const std::string kSvixBody = R"({"type":"email.sent","data":{"to":"a@b.c"}})";
const Headers kSvixHeaders = {{"svix-id", "msg_2Vsvix0dK4cPqB8R1tFz9yWmXeA"},
                              {"svix-timestamp", "1700000000"},
                              {"svix-signature", "v1,ZKRmVZ451QKQJOgGlEvIv5+mHAF5sr9uUDD5jYJxaus="}};
// Made with: printf '%s' '1700000000.{"id":"evt_test","object":"event"}' |
//   openssl dgst -sha256 -hmac 'whsec_test_stripe_secret'
const std::string kStripeBody = R"({"id":"evt_test","object":"event"})";
const std::string kStripeHeader =
    "t=1700000000,v1=ef3232e6259bbf57db071c99188c9f4379bda788a7abdf7eb9d562cf5529dec0";

}  // namespace

TEST_CASE("each scheme: a valid delivery is 200 and runs once; an invalid one is 401 and does not") {
    struct Case {
        const char *scheme;
        std::string secret;
        std::int64_t now;
        std::string body;
        Headers good;
        Headers bad;
        const char *says;
    };
    const Case cases[] = {
        {"github", kGithubSecret, 0, "Hello, World!", {{"X-Hub-Signature-256", kGithubSignature}},
         {{"X-Hub-Signature-256", "sha256=" + std::string(64, 'a')}}, "does not match the body"},
        {"standard-webhooks", kSwSecret, 1614265330, kSwBody, kSwHeaders, {}, "header is missing"},
        {"stripe", "whsec_test_stripe_secret", 1700000000, kStripeBody,
         {{"Stripe-Signature", kStripeHeader}},
         {{"Stripe-Signature", "t=1700000000,v1=" + std::string(64, '0')}}, "matches the body"},
        {"token", "t0ken-value", 0, "{}", {{"Authorization", "Bearer t0ken-value"}},
         {{"Authorization", "Bearer t0ken-valuf"}}, "the bearer token is wrong"},
    };
    for (const Case &c : cases) {
        const std::string scheme = c.scheme;
        CAPTURE(scheme);
        Served s({{"auth", c.scheme}, {"secret", c.secret}});
        s.now->store(c.now);
        check_json_error(s.post(c.body, c.bad), 401, c.says);
        if (scheme != "token") {  // a token does not sign the body
            check_json_error(s.post(c.body + " ", c.good), 401, "match");
        }
        CHECK(s.host.trigger_count() == 0);
        const HttpReply ok = s.post(c.body, c.good);
        CHECK(ok.status == 200);
        CHECK(ok.body == R"({"status":"ok"})");
        REQUIRE(s.host.trigger_count() == 1);
        CHECK(s.host.triggers()[0].body == c.body);
    }
}

TEST_CASE("standard-webhooks vector: accepted at its time, refused as too old at today's") {
    Served at_its_time({{"auth", "standard-webhooks"}, {"secret", kSwSecret}});
    at_its_time.now->store(1614265330);
    CHECK(at_its_time.post(kSwBody, kSwHeaders).status == 200);
    Served today({{"auth", "standard-webhooks"}, {"secret", kSwSecret}}, true);
    check_json_error(today.post(kSwBody, kSwHeaders), 401, "webhook-timestamp is too old");
    CHECK(today.host.trigger_count() == 0);
}

TEST_CASE("allow_from: 403 before the body is read, for a client not listed") {
    Served s(Widgets{{"allow_from", "10.0.0.0/8, ::1"}});
    const HttpReply reply = s.post("hello", {});
    check_json_error(reply, 403, "127.0.0.1 is not allowed");
    CHECK(s.host.trigger_count() == 0);
    // A large body is never read: the answer comes and the connection closes.
    const std::string raw = "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n";
    CHECK(raw_status(raw_exchange(s.port, raw)) == 403);

    Served allowed(Widgets{{"allow_from", "10.0.0.0/8, 127.0.0.0/31"}});
    CHECK(allowed.post("hello", {}).status == 200);
    CHECK(allowed.host.trigger_count() == 1);
}

TEST_CASE("trusted_proxies: behind a proxy, allow_from and the event see the forwarded client") {
    // The test's loopback client plays the load balancer.
    Served s({{"allow_from", "203.0.113.7"}, {"trusted_proxies", "127.0.0.1"}});
    const HttpReply ok = s.post("hello", {{"X-Forwarded-For", "203.0.113.7"}});
    CHECK(ok.status == 200);
    REQUIRE(s.host.trigger_count() == 1);
    CHECK(s.host.triggers()[0].remote_addr == "203.0.113.7");  // no port: the header has none
    check_json_error(s.post("hello", {{"X-Forwarded-For", "198.51.100.1"}}), 403,
                     "client address 198.51.100.1 is not allowed (allow_from)");
    check_json_error(s.post("hello", {}), 403, "client address 127.0.0.1 is not allowed");
    // A client spoofing the header behind the proxy: the proxy appends the
    // address it saw, and that hop is the client, not what was spoofed.
    check_json_error(
        s.post("hello", {{"X-Forwarded-For", "203.0.113.7, 127.0.0.1, 198.51.100.1"}}), 403,
        "198.51.100.1 is not allowed");
    // The same spoof arriving straight from the trusted peer is believed: a
    // trusted proxy's word is the rule, and only it can send this.
    CHECK(s.post("hello", {{"X-Forwarded-For", "203.0.113.7, 127.0.0.1"}}).status == 200);
    // Several lines are one list; a malformed hop proves nothing: the peer.
    CHECK(s.post("hello", {{"X-Forwarded-For", "198.51.100.1"},
                           {"X-Forwarded-For", "203.0.113.7"}}).status == 200);
    check_json_error(s.post("hello", {{"X-Forwarded-For", "203.0.113.7"},
                                      {"X-Forwarded-For", "unknown"}}),
                     403, "127.0.0.1 is not allowed");
    CHECK(s.host.trigger_count() == 3);
    for (const auto &t : s.host.triggers()) CHECK(t.remote_addr == "203.0.113.7");
}

TEST_CASE("trusted_proxies: a client that is not a trusted proxy cannot choose its address") {
    for (const char *trusted : {"", "10.0.0.0/8, ::1"}) {
        CAPTURE(trusted);
        Served s({{"allow_from", "203.0.113.7"}, {"trusted_proxies", trusted}});
        for (const char *spoofed : {"203.0.113.7", "203.0.113.7, 127.0.0.1",
                                    "127.0.0.1, 203.0.113.7", "203.0.113.7, 10.0.0.1"}) {
            CAPTURE(spoofed);
            check_json_error(s.post("hello", {{"X-Forwarded-For", spoofed}}), 403,
                             "client address 127.0.0.1 is not allowed");
        }
        CHECK(s.host.trigger_count() == 0);
    }
    // Without allow_from the event keeps the peer's own address and port.
    Served open(Widgets{{"trusted_proxies", "10.0.0.0/8"}});
    CHECK(open.post("hello", {{"X-Forwarded-For", "203.0.113.7"}}).status == 200);
    REQUIRE(open.host.trigger_count() == 1);
    CHECK(open.host.triggers()[0].remote_addr.rfind("127.0.0.1:", 0) == 0);
}

TEST_CASE("bind ::1 with allow_from ::1 serves an IPv6 client") {
    try {
        Poco::Net::ServerSocket probe;
        probe.bind6(Poco::Net::SocketAddress("::1", 0), true, false, true);
    } catch (const Poco::Exception &) {
        MESSAGE("::1 cannot be bound here; skipped");
        return;
    }
    Served s({{"bind", "::1"}, {"allow_from", "::1"}});
    Poco::Net::HTTPClientSession session(Poco::Net::SocketAddress("::1", s.port));
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, "/webhook",
                               Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentLength(2);
    session.sendRequest(req) << "v6";
    Poco::Net::HTTPResponse response;
    session.receiveResponse(response);
    CHECK(response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK);
    REQUIRE(s.host.trigger_count() == 1);
    CHECK(s.host.triggers()[0].remote_addr.find("::1") != std::string::npos);
    CHECK_FALSE(can_connect(s.port));  // not listening on 127.0.0.1
}

TEST_CASE("dedupe: a repeat inside the window is 200 duplicate and does not run; after, it runs") {
    Served s(Widgets{{"dedupe_window_s", "60"}});
    s.now->store(5000);
    for (const char *header : {"webhook-id", "X-GitHub-Delivery", "Idempotency-Key"}) {
        CAPTURE(header);
        const std::size_t before = s.host.trigger_count();
        const Headers id = {{header, std::string("delivery-") + header}};
        CHECK(s.post("one", id).body == R"({"status":"ok"})");
        const HttpReply again = s.post("one", id);
        CHECK(again.status == 200);
        CHECK(again.body == kDuplicate);
        CHECK(s.host.trigger_count() == before + 1);
    }
    const Headers id = {{"webhook-id", "delivery-webhook-id"}};
    s.now->store(5059);
    CHECK(s.post("one", id).body == kDuplicate);
    s.now->store(5060);
    CHECK(s.post("one", id).body == R"({"status":"ok"})");
    CHECK(s.host.trigger_count() == 4);
    CHECK(s.post("no id", {}).status == 200);  // without an id, nothing to compare
    CHECK(s.post("no id", {}).status == 200);
    CHECK(s.host.trigger_count() == 6);
}

TEST_CASE("dedupe: a Svix delivery repeated (svix-id) is a duplicate, by the id it was signed with") {
    Served s({{"auth", "standard-webhooks"}, {"secret", kSvixSecret}, {"dedupe_window_s", "60"}});
    s.now->store(1700000000);
    CHECK(s.post(kSvixBody, kSvixHeaders).body == R"({"status":"ok"})");
    const HttpReply again = s.post(kSvixBody, kSvixHeaders);
    CHECK(again.status == 200);
    CHECK(again.body == kDuplicate);
    // The id is the one the signature covers: an added webhook-id, which the
    // svix-* set outranks, neither makes the repeat new nor counts instead.
    Headers relabelled = kSvixHeaders;
    relabelled.emplace_back("webhook-id", "msg_not_signed");
    CHECK(s.post(kSvixBody, relabelled).body == kDuplicate);
    CHECK(s.host.trigger_count() == 1);

    Served plain(Widgets{{"dedupe_window_s", "60"}});  // auth none: svix-id alone counts too
    const Headers id = {{"svix-id", "msg_unsigned"}};
    CHECK(plain.post("x", id).body == R"({"status":"ok"})");
    CHECK(plain.post("x", id).body == kDuplicate);
    CHECK(plain.host.trigger_count() == 1);
}

TEST_CASE("dedupe: a delivery whose trigger was refused is not remembered") {
    Served s(Widgets{{"dedupe_window_s", "60"}});
    const Headers id = {{"webhook-id", "msg_retry"}};
    s.host.answer(NB_TRIGGER_QUEUE_FULL);
    CHECK(s.post("x", id).status == 503);
    s.host.answer(NB_TRIGGER_FAILED);
    CHECK(s.post("x", id).status == 503);
    s.host.answer(NB_TRIGGER_ACCEPTED);
    CHECK(s.post("x", id).body == R"({"status":"ok"})");
    CHECK(s.post("x", id).body == kDuplicate);
    CHECK(s.host.trigger_count() == 3);
}

TEST_CASE("dedupe: a delivery of an id whose first is inside trigger is 503 at once, no loop waits") {
    // Two event loops, so that the second delivery is served by a loop the
    // first one's trigger does not hold: it must be answered while that
    // trigger still runs, not after it.
    REQUIRE(setenv("NB_WEBHOOK_LOOPS", "2", 1) == 0);
    Served s(Widgets{{"dedupe_window_s", "60"}});
    REQUIRE(unsetenv("NB_WEBHOOK_LOOPS") == 0);
    const Headers id = {{"webhook-id", "msg_twice"}};
    s.host.block_triggers();
    HttpReply first;
    std::thread a([&] { first = s.post("x", id); });
    REQUIRE(s.host.wait_for_in_progress(1, 5000ms));
    const HttpReply second = s.post("x", id);
    CHECK(s.host.triggers_in_progress() == 1);  // answered while the first is still inside
    check_json_error(second, 503, "being handled");
    CHECK(second.header("retry-after") == "1");
    s.host.unblock_triggers();
    a.join();
    CHECK(first.body == R"({"status":"ok"})");
    // The sender's retry, once the first is decided, is its duplicate.
    CHECK(s.post("x", id).body == kDuplicate);
    CHECK(s.host.trigger_count() == 1);
}

TEST_CASE("dedupe comes after the signature: a forged repeat is 401, not duplicate") {
    Served s({{"auth", "token"}, {"secret", "tok"}, {"dedupe_window_s", "60"}});
    CHECK(s.post("x", {{"Authorization", "Bearer tok"}, {"webhook-id", "m1"}}).status == 200);
    check_json_error(s.post("x", {{"webhook-id", "m1"}}), 401, "Authorization header is missing");
}

TEST_CASE("bind 127.0.0.1 serves; two nodes on one port with different binds are refused") {
    FakeHost host;
    const std::uint16_t port = free_port();
    TestNode first(host, "local", port, "/a");
    REQUIRE(first.set("bind", "127.0.0.1") == NB_OK);
    REQUIRE(first.start() == NB_OK);
    HttpRequest req;
    req.target = "/a";
    CHECK(http_request(port, req).status == 200);

    TestNode second(host, "everywhere", port, "/b");
    CHECK(second.start() == NB_ERR_INVALID);
    const std::string error = second.error();
    CHECK(error.find("\"local\"") != std::string::npos);
    CHECK(error.find("\"everywhere\"") != std::string::npos);
    CHECK(error.find("127.0.0.1") != std::string::npos);
    CHECK(error.find("same bind") != std::string::npos);

    REQUIRE(second.set("bind", "127.0.0.1") == NB_OK);
    CHECK(second.start() == NB_OK);  // agreeing nodes share the port
    req.target = "/b";
    CHECK(http_request(port, req).status == 200);
    second.stop();
    first.stop();
}

TEST_CASE("start refuses a scheme without a usable secret, with a clear message") {
    FakeHost host;
    TestNode node(host, "hook", free_port());
    REQUIRE(node.set("auth", "github") == NB_OK);
    CHECK(node.start() == NB_ERR_INVALID);
    CHECK(node.error().find("auth github needs a secret") != std::string::npos);
    REQUIRE(node.set("auth", "standard-webhooks") == NB_OK);
    REQUIRE(node.set("secret", "whsec_%%%") == NB_OK);
    CHECK(node.start() == NB_ERR_INVALID);
    CHECK(node.error().find("whsec_<base64 key>") != std::string::npos);
    CHECK(node.error().find("%%%") == std::string::npos);
}

TEST_CASE("a secret from the environment verifies; an unset variable is refused, named") {
    REQUIRE(setenv("NB_AUTH_HTTP_SECRET", kGithubSecret.c_str(), 1) == 0);
    REQUIRE(unsetenv("NB_AUTH_HTTP_UNSET") == 0);
    Served s({{"auth", "github"}, {"secret", "env:NB_AUTH_HTTP_SECRET"}});
    CHECK(s.post("Hello, World!", {{"X-Hub-Signature-256", kGithubSignature}}).status == 200);
    CHECK(s.node.set("secret", "env:NB_AUTH_HTTP_UNSET") == NB_ERR_INVALID);
    CHECK(s.node.error().find("environment variable NB_AUTH_HTTP_UNSET is not set") !=
          std::string::npos);
}

TEST_CASE("the secret appears in no answer, error, log or widget read") {
    const std::string secret = "S3cret-that-must-not-leak";
    REQUIRE(unsetenv("NB_AUTH_HTTP_UNSET") == 0);
    Served s({{"auth", "token"}, {"secret", secret}});
    const nb_node_t *n = s.node.abi();
    std::vector<std::string> seen = {n->get_widget(n, "secret")};
    CHECK(seen.back() == "***");
    seen.push_back(s.post("x", {{"Authorization", "Bearer wrong"}}).body);
    seen.push_back(s.post("x", {{"Authorization", "Basic " + secret}}).body);
    seen.push_back(s.post("x", {}).body);
    CHECK(s.node.set("secret", "env:NB_AUTH_HTTP_UNSET") == NB_ERR_INVALID);
    seen.push_back(s.node.error());
    CHECK(std::string(n->get_widget(n, "secret")) == "***");  // the previous value stays
    CHECK(s.node.start() == NB_ERR_STATE);
    seen.push_back(s.node.error());
    for (const std::string &log : s.host.logs()) seen.push_back(log);
    for (const std::string &text : seen) {
        CAPTURE(text);
        CHECK(text.find("S3cret") == std::string::npos);
    }
    CHECK(s.host.trigger_count() == 0);
}

TEST_CASE("the GitHub example in docs/verified-senders.md takes GitHub's largest payload (25 MB), signed") {
    std::ifstream file(NB_VERIFIED_SENDERS_DOC);
    REQUIRE(file);
    std::stringstream text;
    text << file.rdbuf();
    const std::string doc = text.str();
    // The ```json block that reads GITHUB_WEBHOOK_SECRET.
    const auto secret_at = doc.find("env:GITHUB_WEBHOOK_SECRET");
    REQUIRE(secret_at != std::string::npos);
    const auto open = doc.rfind("```json\n", secret_at);
    const auto close = doc.find("```", secret_at);
    REQUIRE(open != std::string::npos);
    REQUIRE(close != std::string::npos);
    const std::string json = doc.substr(open + 8, close - open - 8);
    CAPTURE(json);
    const auto example = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    const auto widgets = example->getObject("widgets");
    REQUIRE(widgets);
    // GitHub caps payloads at 25 MB; the default 1 MiB would refuse large pushes.
    CHECK(widgets->getValue<std::int64_t>("max_body_bytes") == 26214400);

    REQUIRE(setenv("GITHUB_WEBHOOK_SECRET", kGithubSecret.c_str(), 1) == 0);
    FakeHost host;
    const std::uint16_t port = free_port();
    TestNode node(host, "hook", port);
    for (const auto &[name, value] : *widgets) {
        CAPTURE(name);
        CHECK(node.set(name.c_str(), value.convert<std::string>()) == NB_OK);
    }
    // Here, on loopback: the example's port is not free and its allow-list
    // is GitHub's.
    REQUIRE(node.set("port", std::to_string(port)) == NB_OK);
    REQUIRE(node.set("allow_from", widgets->getValue<std::string>("allow_from") +
                                       ", 127.0.0.1") == NB_OK);
    REQUIRE_MESSAGE(node.start() == NB_OK, node.error());
    HttpRequest req;
    req.target = widgets->getValue<std::string>("path");
    req.body = std::string(26214400, 'x');
    const auto mac = nb::webhook::auth::hmac_sha256(kGithubSecret, {req.body});
    req.headers = {{"X-Hub-Signature-256", "sha256=" + Poco::DigestEngine::digestToHex(mac)},
                   {"X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"}};
    const HttpReply reply = http_request(port, req, std::chrono::seconds(60));
    CHECK(reply.status == 200);
    CHECK(host.trigger_count() == 1);
    node.stop();
}
