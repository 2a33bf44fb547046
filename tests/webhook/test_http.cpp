// Every row of DESIGN.md's behaviour table, over real sockets.
#include <doctest/doctest.h>

#include <cctype>
#include <chrono>
#include <cstddef>
#include <string>

#include <sys/socket.h>
#include <sys/time.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include "fake_host.hpp"
#include "fake_run.hpp"
#include "net_helpers.hpp"
#include "test_node.hpp"

using namespace nb::test;
using namespace std::chrono_literals;

namespace {

constexpr const char *kOk = R"({"status":"ok"})";

// A started node on a free port, path /webhook.
struct Served {
    FakeHost host;
    std::uint16_t port = free_port();
    TestNode node{host, "hook", port};
    Served() { REQUIRE(node.start() == NB_OK); }
    ~Served() { node.stop(); }

    HttpReply post(const std::string &target, const std::string &body, bool chunked = false) {
        HttpRequest req;
        req.target = target;
        req.body = body;
        req.chunked = chunked;
        return http_request(port, req);
    }
};

void check_json_error(const HttpReply &reply, int status) {
    CHECK(reply.status == status);
    CHECK(reply.header("content-type") == "application/json");
    CHECK(reply.body.rfind(R"({"status":"error","error":")", 0) == 0);
}

// Sends what it can of `bytes` with MSG_NOSIGNAL, each send waiting at most
// 10 s: how many bytes the connection took before it failed.
std::size_t send_what_it_takes(Poco::Net::StreamSocket &socket, const std::string &bytes) {
    const int fd = socket.impl()->sockfd();
    const timeval wait{10, 0};
    REQUIRE(::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &wait, sizeof wait) == 0);
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
    }
    return sent;
}

}  // namespace

TEST_CASE("POST on the path: 200 ok and one trigger with the exact body") {
    Served s;
    const HttpReply reply = s.post("/webhook", "hello");
    CHECK(reply.status == 200);
    CHECK(reply.body == kOk);
    CHECK(reply.header("content-type") == "application/json");
    REQUIRE(s.host.trigger_count() == 1);
    const RecordedTrigger t = s.host.triggers()[0];
    CHECK(t.node == s.node.abi());
    CHECK(t.method == "POST");
    CHECK(t.path == "/webhook");
    CHECK(t.body == "hello");
    CHECK(t.remote_addr.rfind("127.0.0.1:", 0) == 0);
}

TEST_CASE("body is byte-exact: NUL bytes, multi-byte UTF-8, empty") {
    Served s;
    const std::string body = std::string("a\0b\0", 4) + "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\n";
    CHECK(s.post("/webhook", body).status == 200);
    CHECK(s.post("/webhook", "").status == 200);
    REQUIRE(s.host.trigger_count() == 2);
    CHECK(s.host.triggers()[0].body == body);
    CHECK(s.host.triggers()[1].body.empty());
}

TEST_CASE("chunked body: same answer and same bytes") {
    Served s;
    const std::string body(200000, 'x');
    const HttpReply reply = s.post("/webhook?via=chunks", body, true);
    CHECK(reply.status == 200);
    CHECK(reply.body == kOk);
    REQUIRE(s.host.trigger_count() == 1);
    CHECK(s.host.triggers()[0].body == body);
    CHECK(s.host.triggers()[0].query_json == R"({"via":"chunks"})");
}

TEST_CASE("query string is ignored for matching and reported as JSON") {
    Served s;
    CHECK(s.post("/webhook?id=7&tag=a&tag=b", "x").status == 200);
    REQUIRE(s.host.trigger_count() == 1);
    CHECK(s.host.triggers()[0].path == "/webhook");
    CHECK(s.host.triggers()[0].query_json == R"({"id":"7","tag":["a","b"]})");
}

TEST_CASE("a query string of more than 1000 parameters: 414, no run; 1000 are served") {
    Served s;
    const auto query = [](int n) {
        std::string q;
        for (int i = 0; i < n; ++i) q += (i ? "&p" : "p") + std::to_string(i) + "=v";
        return q;
    };
    const HttpReply over = s.post("/webhook?" + query(1001), "x");
    check_json_error(over, 414);
    CHECK(over.body.find("1000") != std::string::npos);
    CHECK(s.host.trigger_count() == 0);

    // A repeated name counts each time.
    check_json_error(s.post("/webhook?" + query(1000) + "&p0=again", "x"), 414);
    CHECK(s.host.trigger_count() == 0);

    CHECK(s.post("/webhook?" + query(1000), "x").status == 200);
    REQUIRE(s.host.trigger_count() == 1);
    const std::string json = s.host.triggers()[0].query_json;
    CHECK(json.rfind(R"({"p0":"v","p1":"v",)", 0) == 0);
    CHECK(json.find(R"(,"p999":"v"})") == json.size() - 12);
}

TEST_CASE("other method on the path: 405 with Allow: POST, no run") {
    Served s;
    REQUIRE(s.node.abi()->get_widget(s.node.abi(), "methods") != nullptr);
    CHECK(std::string(s.node.abi()->get_widget(s.node.abi(), "methods")) == "POST");  // default
    for (const char *method : {"GET", "PUT", "DELETE", "PATCH"}) {
        CAPTURE(method);
        HttpRequest req;
        req.method = method;
        const HttpReply reply = http_request(s.port, req);
        check_json_error(reply, 405);
        CHECK(reply.header("allow") == "POST");
    }
    CHECK(s.host.trigger_count() == 0);
}

TEST_CASE("methods POST, GET: a GET with a query runs as GET with an empty body") {
    Served s;
    s.node.stop();
    REQUIRE(s.node.set("methods", "POST, GET") == NB_OK);
    REQUIRE(s.node.start() == NB_OK);
    HttpRequest get;
    get.method = "GET";
    get.target = "/webhook?id=7&tag=a&tag=b";
    const HttpReply reply = http_request(s.port, get);
    CHECK(reply.status == 200);
    CHECK(reply.body == kOk);
    REQUIRE(s.host.trigger_count() == 1);
    const RecordedTrigger t = s.host.triggers()[0];
    CHECK(t.method == "GET");
    CHECK(t.path == "/webhook");
    CHECK(t.body.empty());
    CHECK(t.query_json == R"({"id":"7","tag":["a","b"]})");

    // POST still runs, as POST.
    CHECK(s.post("/webhook", "x").status == 200);
    REQUIRE(s.host.trigger_count() == 2);
    CHECK(s.host.triggers()[1].method == "POST");
    CHECK(s.host.triggers()[1].body == "x");
}

TEST_CASE("methods POST, GET: any other method gets 405 with Allow: POST, GET, no run") {
    Served s;
    s.node.stop();
    REQUIRE(s.node.set("methods", "GET,POST") == NB_OK);
    REQUIRE(s.node.start() == NB_OK);
    for (const char *method : {"PUT", "PATCH", "DELETE", "OPTIONS", "get", "post"}) {
        CAPTURE(method);
        HttpRequest req;
        req.method = method;
        req.body = "x";
        const HttpReply reply = http_request(s.port, req);
        check_json_error(reply, 405);
        CHECK(reply.header("allow") == "POST, GET");
    }
    // HEAD never runs: 405 with the same Allow, and no body.
    const std::string head = raw_exchange(
        s.port, "HEAD /webhook HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000ms);
    CHECK(raw_status(head) == 405);
    const auto head_end = head.find("\r\n\r\n");
    REQUIRE(head_end != std::string::npos);
    CHECK(head.find("\r\nAllow: POST, GET\r\n") < head_end);
    CHECK(head.size() == head_end + 4);
    // Refused by its head: no 100 Continue, the body is not read.
    const std::string put = raw_exchange(
        s.port,
        "PUT /webhook HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n",
        5000ms);
    CHECK(raw_status(put) == 405);
    CHECK(put.find("100 Continue") == std::string::npos);
    CHECK(put.find("\r\nAllow: POST, GET\r\n") != std::string::npos);
    CHECK(s.host.trigger_count() == 0);
}

TEST_CASE("methods PUT, DELETE: their bodies are read as a POST's, with 100 Continue") {
    Served s;
    s.node.stop();
    REQUIRE(s.node.set("methods", "DELETE, PUT") == NB_OK);
    REQUIRE(s.node.start() == NB_OK);
    {
        const std::string head = "PUT /webhook?v=2 HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                                 "Content-Length: 5\r\n\r\n";
        CHECK(raw_status(send_after_continue(s.port, head, "hello")) == 200);
    }
    HttpRequest del;
    del.method = "DELETE";
    del.body = "gone";
    CHECK(http_request(s.port, del).status == 200);
    const HttpReply post = s.post("/webhook", "x");
    check_json_error(post, 405);
    CHECK(post.header("allow") == "PUT, DELETE");
    REQUIRE(s.host.trigger_count() == 2);
    CHECK(s.host.triggers()[0].method == "PUT");
    CHECK(s.host.triggers()[0].body == "hello");
    CHECK(s.host.triggers()[0].query_json == R"({"v":"2"})");
    CHECK(s.host.triggers()[1].method == "DELETE");
    CHECK(s.host.triggers()[1].body == "gone");
}

TEST_CASE("other paths: 404, no run") {
    Served s;
    for (const char *target : {"/Webhook", "/webhook/", "/x", "/", "/webhookx", "/x?/webhook"}) {
        CAPTURE(target);
        check_json_error(s.post(target, "hello"), 404);
    }
    CHECK(s.host.trigger_count() == 0);
}

TEST_CASE("body not valid UTF-8: 400, no run") {
    Served s;
    check_json_error(s.post("/webhook", "ab\xFF"), 400);
    check_json_error(s.post("/webhook", "\xC0\xAF", true), 400);
    CHECK(s.host.trigger_count() == 0);
}

TEST_CASE("body over max_body_bytes: 413 by Content-Length, before the body is sent") {
    Served s;
    s.node.stop();
    REQUIRE(s.node.set("max_body_bytes", "10") == NB_OK);
    REQUIRE(s.node.start() == NB_OK);
    check_json_error(s.post("/webhook", std::string(11, 'x')), 413);
    CHECK(s.post("/webhook", std::string(10, 'x')).status == 200);

    // Only the head: a server that waited for the 1 GB body would time out.
    const std::string answer = raw_exchange(
        s.port, "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n", 5000ms);
    CHECK(raw_status(answer) == 413);
    CHECK(answer.find(R"("status":"error")") != std::string::npos);
    CHECK(s.host.trigger_count() == 1);
}

TEST_CASE("body over max_body_bytes: 413 while reading chunks, without reading them all") {
    Served s;
    s.node.stop();
    REQUIRE(s.node.set("max_body_bytes", "100") == NB_OK);
    REQUIRE(s.node.start() == NB_OK);
    check_json_error(s.post("/webhook", std::string(101, 'y'), true), 413);

    // The client crosses the limit while it is still sending, and has far
    // more to send: small chunks past 100 bytes, or a chunk announcing 64 MiB
    // of which 64 KiB have come. The connection stays open.
    const std::string head =
        "POST /webhook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    std::string chunks;
    for (int i = 0; i < 7; ++i) chunks += "10\r\n0123456789abcdef\r\n";  // 112 bytes
    const std::string more_chunks = [&] {
        std::string text;
        while (text.size() < 0x4000000) text += chunks;
        return text;
    }();
    const struct {
        std::string shape;
        std::string start;
        std::string rest;
    } cases[] = {
        {"small chunks", head + chunks, more_chunks},
        {"one announced chunk", head + "40\r\n" + std::string(64, 'a') + "\r\n4000000\r\n" +
                                    std::string(64 * 1024, 'b'),
         std::string(0x4000000 - 64 * 1024, 'b')},
    };
    for (const auto &c : cases) {
        CAPTURE(c.shape);
        Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", s.port));
        REQUIRE(send_what_it_takes(socket, c.start) == c.start.size());
        // The 413 comes although almost all of the body is still to come: a
        // server waiting for the body's end would be silent here.
        const std::string answer = read_until_close(socket, std::chrono::milliseconds(5000));
        CHECK(raw_status(answer) == 413);
        const auto head_end = answer.find("\r\n\r\n");
        REQUIRE(head_end != std::string::npos);
        CHECK(answer.find("\r\nConnection: close\r\n") < head_end);
        CHECK(answer.find("\r\nContent-Type: application/json\r\n") < head_end);
        CHECK(answer.compare(head_end + 4, std::string::npos,
                             R"({"status":"error","error":"body is larger than 100 bytes"})") == 0);
        // And the server stops reading: the other 64 MiB cannot be sent (the
        // connection is reset once the server closes), where a server that
        // read the whole body would take all of it.
        CHECK(send_what_it_takes(socket, c.rest) < c.rest.size());
    }
    CHECK(s.host.trigger_count() == 0);
}

TEST_CASE("host queue full: 503 with Retry-After; host failing (shutting down): 503 too; never 200") {
    Served s;
    s.host.answer(NB_TRIGGER_QUEUE_FULL);
    const HttpReply full = s.post("/webhook", "a");
    check_json_error(full, 503);
    // Retry-After in delay-seconds (RFC 9110 10.2.3): exactly 1.
    const std::string retry_after = full.header("retry-after");
    CAPTURE(retry_after);
    REQUIRE(!retry_after.empty());
    std::size_t digits = 0;
    CHECK(std::stoi(retry_after, &digits) == 1);
    CHECK(digits == retry_after.size());

    s.host.answer(NB_TRIGGER_FAILED);
    const HttpReply failed = s.post("/webhook", "b");
    check_json_error(failed, 503);
    CHECK(failed.header("retry-after") == "1");
    CHECK(s.host.trigger_count() == 2);  // both were offered, neither answered 200

    s.host.answer(NB_TRIGGER_ACCEPTED);
    CHECK(s.post("/webhook", "c").status == 200);
}

TEST_CASE("headers reach the event as lower-cased JSON") {
    Served s;
    HttpRequest req;
    req.body = "{}";
    req.headers = {{"X-Signature", "abc\"1"}, {"Content-Type", "application/json"}};
    CHECK(http_request(s.port, req).status == 200);
    REQUIRE(s.host.trigger_count() == 1);
    const std::string headers = s.host.triggers()[0].headers_json;
    CAPTURE(headers);
    const auto object = Poco::JSON::Parser().parse(headers).extract<Poco::JSON::Object::Ptr>();
    // Every name lower-cased; every value a string, exactly as sent.
    for (const auto &[name, value] : *object) {
        CAPTURE(name);
        for (const char c : name) CHECK_FALSE(std::isupper(static_cast<unsigned char>(c)));
        CHECK(value.isString());
    }
    CHECK(object->getValue<std::string>("x-signature") == "abc\"1");
    CHECK(object->getValue<std::string>("content-type") == "application/json");
    CHECK(object->getValue<std::string>("content-length") == "2");
    CHECK(object->getValue<std::string>("host") == "127.0.0.1:" + std::to_string(s.port));
    CHECK_FALSE(object->has("X-Signature"));
}

TEST_CASE("keep-alive: several requests on one connection each get their answer") {
    Served s;
    const std::string one = "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none";
    const std::string answer = raw_exchange(
        s.port, one + one + "GET /webhook HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3000ms);
    std::size_t oks = 0;
    for (auto at = answer.find("HTTP/1.1 200"); at != std::string::npos;
         at = answer.find("HTTP/1.1 200", at + 1)) {
        ++oks;
    }
    CHECK(oks == 2);
    CHECK(answer.find("HTTP/1.1 405") != std::string::npos);
    CHECK(s.host.trigger_count() == 2);
}

TEST_CASE("execute turns the event of a real request into the three outputs") {
    Served s;
    HttpRequest req;
    req.target = "/webhook?city=K%C3%B6ln";
    req.body = std::string("{\"a\":1}\0tail", 12);
    req.headers = {{"X-Id", "42"}};
    REQUIRE(http_request(s.port, req).status == 200);
    REQUIRE(s.host.trigger_count() == 1);
    const RecordedTrigger t = s.host.triggers()[0];

    OwnedEvent owned;
    owned.body = t.body;
    owned.headers_json = t.headers_json;
    owned.query_json = t.query_json;
    const nb_event_t event = owned.event();
    FakeRun run(&event);
    const nb_node_t *n = s.node.abi();
    REQUIRE(n->execute(n, run.run()) == NB_OK);
    CHECK(run.outputs["received_data"] == req.body);
    CHECK(run.outputs["query"] == "{\"city\":\"K\xC3\xB6ln\"}");
    CHECK(run.outputs["headers"].find(R"("x-id":"42")") != std::string::npos);
}

TEST_CASE("execute without an event fails with a clear message") {
    FakeHost host;
    TestNode node(host, "lonely", 8181);
    FakeRun run(nullptr);
    const nb_node_t *n = node.abi();
    CHECK(n->execute(n, run.run()) == NB_ERR_STATE);
    const std::string error = n->last_error(n);
    CHECK(error.find("\"lonely\"") != std::string::npos);
    CHECK(error.find("no event") != std::string::npos);
    CHECK(run.outputs.empty());
}
