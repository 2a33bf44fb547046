#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "fake_host.hpp"
#include "fake_run.hpp"
#include "reply/reply_descriptor.hpp"
#include "reply/reply_node.hpp"

using nb::test::FakeHost;
using nb::test::FakeRun;
using nb::webhook::ReplyNode;

namespace {

// A reply node driven through its C vtable.
class TestReply {
public:
    explicit TestReply(const nb_host_t *host)
        : node_(std::make_unique<ReplyNode>("answer", host)) {}

    const nb_node_t *abi() const { return node_->abi(); }
    nb_status_t set(const char *name, const std::string &value) {
        return abi()->set_widget(abi(), name, value.c_str());
    }
    std::string get(const char *name) const {
        const char *text = abi()->get_widget(abi(), name);
        return text ? text : "(none)";
    }
    nb_status_t execute(const FakeRun &run) { return abi()->execute(abi(), run.run()); }
    std::string error() const { return abi()->last_error(abi()); }

private:
    std::unique_ptr<ReplyNode> node_;
};

bool contains(const std::string &text, const std::string &part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the reply node's descriptor: input body, no outputs, three widgets") {
    const nb_node_descriptor_t &d = nb::webhook::reply_descriptor();
    CHECK(std::string(d.id) == "events.webhook_reply");
    CHECK(std::string(d.category) == "Events");
    CHECK(d.flags == 0);
    REQUIRE(d.input_count == 1);
    CHECK(std::string(d.inputs[0].name) == "body");
    CHECK(std::string(d.inputs[0].type) == NB_SOCKET_TEXT);
    CHECK(d.output_count == 0);
    REQUIRE(d.widget_count == 3);
    CHECK(std::string(d.widgets[0].name) == "status");
    CHECK(d.widgets[0].kind == NB_WIDGET_NUMBER);
    CHECK(d.widgets[0].min == 200);
    CHECK(d.widgets[0].max == 599);
    CHECK(std::string(d.widgets[1].name) == "content_type");
    CHECK(d.widgets[1].kind == NB_WIDGET_TEXT);
    CHECK(std::string(d.widgets[2].name) == "headers");
    CHECK(d.widgets[2].kind == NB_WIDGET_TEXT);
}

TEST_CASE("widgets default to 200, application/json and no extra headers") {
    FakeHost host;
    TestReply node(host.host());
    CHECK(node.get("status") == "200");
    CHECK(node.get("content_type") == "application/json");
    CHECK(node.get("headers") == "{}");
    CHECK(node.get("nope") == "(none)");
    CHECK(node.set("nope", "1") == NB_ERR_UNKNOWN);
    CHECK(contains(node.error(), "unknown widget \"nope\""));
}

TEST_CASE("status takes 200-599 and keeps its value otherwise") {
    FakeHost host;
    TestReply node(host.host());
    CHECK(node.set("status", "599") == NB_OK);
    CHECK(node.set("status", "200") == NB_OK);
    CHECK(node.set("status", "201") == NB_OK);
    for (const char *bad : {"199", "600", "100", "0", "-200", "abc", "", "201.0", " 201"}) {
        CAPTURE(bad);
        CHECK(node.set("status", bad) == NB_ERR_INVALID);
        CHECK(contains(node.error(), "status must be an integer in 200\u2013599"));
        CHECK(node.get("status") == "201");
    }
}

TEST_CASE("content_type refuses empty text and line breaks") {
    FakeHost host;
    TestReply node(host.host());
    CHECK(node.set("content_type", "text/plain; charset=utf-8") == NB_OK);
    for (const char *bad : {"", "text/plain\r\nX-Evil: 1", "text/plain\n", "text/\rplain"}) {
        CAPTURE(bad);
        CHECK(node.set("content_type", bad) == NB_ERR_INVALID);
        CHECK(contains(node.error(), "content_type"));
        CHECK(node.get("content_type") == "text/plain; charset=utf-8");
    }
}

TEST_CASE("headers refuses the fields the server writes, in any case, naming each") {
    FakeHost host;
    TestReply node(host.host());
    for (const char *name : {"Content-Length", "transfer-encoding", "CONNECTION", "Date",
                             "server"}) {
        CAPTURE(name);
        CHECK(node.set("headers", std::string("{\"") + name + "\":\"x\"}") == NB_ERR_INVALID);
        CHECK(contains(node.error(), "headers"));
        CHECK(contains(node.error(), std::string("\"") + name + "\""));
        CHECK(node.get("headers") == "{}");
    }
}

TEST_CASE("headers refuses Content-Type and points to the content_type widget") {
    FakeHost host;
    TestReply node(host.host());
    for (const char *name : {"Content-Type", "content-type"}) {
        CAPTURE(name);
        CHECK(node.set("headers", std::string("{\"X-A\":\"1\",\"") + name + "\":\"text/x\"}") ==
              NB_ERR_INVALID);
        CHECK(contains(node.error(), std::string("\"") + name + "\""));
        CHECK(contains(node.error(), "content_type widget"));
    }
}

TEST_CASE("headers refuses names that are not tokens and values with CR, LF or NUL") {
    FakeHost host;
    TestReply node(host.host());
    for (const char *bad : {R"({"X Y":"1"})", R"({"X:Y":"1"})", R"({"":"1"})"}) {
        CAPTURE(bad);
        CHECK(node.set("headers", bad) == NB_ERR_INVALID);
        CHECK(contains(node.error(), "is not an HTTP token"));
    }
    for (const char *bad : {R"({"X-A":"1\r\nX-Evil: 2"})", R"({"X-A":"1\n"})",
                            R"({"X-A":"a\rb"})", R"({"X-A":"a\u0000b"})"}) {
        CAPTURE(bad);
        CHECK(node.set("headers", bad) == NB_ERR_INVALID);
        CHECK(contains(node.error(), "the value of header \"X-A\" holds a CR, LF or NUL"));
    }
    CHECK(node.get("headers") == "{}");
}

TEST_CASE("headers must be a JSON object of strings") {
    FakeHost host;
    TestReply node(host.host());
    for (const char *bad : {"[]", R"("X-A")", "1", "null", "not json", "{", ""}) {
        CAPTURE(bad);
        CHECK(node.set("headers", bad) == NB_ERR_INVALID);
        CHECK(contains(node.error(), "headers must be a JSON object"));
    }
    CHECK(node.set("headers", R"({"X-A":1})") == NB_ERR_INVALID);
    CHECK(contains(node.error(), "the value of header \"X-A\" must be a JSON string"));
    CHECK(node.get("headers") == "{}");
}

TEST_CASE("execute sets the reply from the widgets and the body, headers in order") {
    FakeHost host;
    host.offer_run_reply(NB_REPLY_SET);
    TestReply node(host.host());
    REQUIRE(node.set("status", "202") == NB_OK);
    REQUIRE(node.set("content_type", "text/plain") == NB_OK);
    const std::string headers =
        R"({"X-Zeta":"last letter","X-Alpha":"a","Cache-Control":"no-store"})";
    REQUIRE(node.set("headers", headers) == NB_OK);
    CHECK(node.get("headers") == headers);
    FakeRun run;
    run.inputs["body"] = std::string("hello\0world", 11);
    REQUIRE(node.execute(run) == NB_OK);
    const auto replies = host.replies();
    REQUIRE(replies.size() == 1);
    CHECK(replies[0].run == run.run());
    CHECK(replies[0].status == 202);
    CHECK(replies[0].content_type == "text/plain");
    CHECK(replies[0].body == std::string("hello\0world", 11));
    using Field = std::pair<std::string, std::string>;
    CHECK(replies[0].headers == std::vector<Field>{{"X-Zeta", "last letter"},
                                                   {"X-Alpha", "a"},
                                                   {"Cache-Control", "no-store"}});
}

TEST_CASE("execute without a body input replies with an empty body") {
    FakeHost host;
    host.offer_run_reply(NB_REPLY_SET);
    TestReply node(host.host());
    FakeRun run;
    REQUIRE(node.execute(run) == NB_OK);
    const auto replies = host.replies();
    REQUIRE(replies.size() == 1);
    CHECK(replies[0].status == 200);
    CHECK(replies[0].content_type == "application/json");
    CHECK(replies[0].headers.empty());
    CHECK(replies[0].body.empty());
}

TEST_CASE("a second reply in a run fails the node: the first reply wins") {
    FakeHost host;
    host.offer_run_reply(NB_REPLY_ALREADY_SET);
    TestReply node(host.host());
    FakeRun run;
    CHECK(node.execute(run) == NB_ERR_STATE);
    CHECK(contains(node.error(),
                   "a reply was already set earlier in this run; the first reply wins"));
}

TEST_CASE("a reply nobody waits for is logged once per node and succeeds") {
    FakeHost host;
    host.offer_run_reply(NB_REPLY_NOT_AWAITED);
    TestReply node(host.host());
    FakeRun first(nullptr, 1);
    FakeRun second(nullptr, 2);
    CHECK(node.execute(first) == NB_OK);
    CHECK(node.execute(second) == NB_OK);
    CHECK(host.replies().size() == 2);
    const auto logs = host.log_entries();
    REQUIRE(logs.size() == 1);
    CHECK(logs[0].level == NB_LOG_WARN);
    CHECK(contains(logs[0].message, "answers immediately"));
    CHECK(contains(logs[0].message, "respond=when_finished"));
}

TEST_CASE("a reply the host finds invalid fails the node") {
    FakeHost host;
    host.offer_run_reply(NB_REPLY_INVALID);
    TestReply node(host.host());
    FakeRun run;
    CHECK(node.execute(run) == NB_ERR_INVALID);
    CHECK(contains(node.error(), "the host refused the reply as invalid"));
}

TEST_CASE("a host that cannot reply fails execute with a message, never a crash") {
    FakeHost host;
    host.offer_run_reply(NB_REPLY_SET);
    SUBCASE("a 1.0 host: get_extension is past its struct, never read") {
        nb_host_t old = *host.host();
        old.abi.minor = 0;
        TestReply node(&old);
        FakeRun run;
        CHECK(node.execute(run) == NB_ERR_STATE);
        CHECK(contains(node.error(), "this host cannot reply to a webhook"));
        CHECK(host.replies().empty());
    }
    SUBCASE("a 1.1 host without get_extension") {
        nb_host_t bare = *host.host();
        bare.get_extension = nullptr;
        TestReply node(&bare);
        FakeRun run;
        CHECK(node.execute(run) == NB_ERR_STATE);
        CHECK(contains(node.error(), "this host cannot reply to a webhook"));
    }
    SUBCASE("a 1.1 host without the reply extension") {
        FakeHost plain;
        TestReply node(plain.host());
        FakeRun run;
        CHECK(node.execute(run) == NB_ERR_STATE);
        CHECK(contains(node.error(), NB_EXT_RUN_REPLY));
    }
}
