#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "http/request_json.hpp"
#include "http/responses.hpp"
#include "routing/request_path.hpp"
#include "routing/route_table.hpp"

using namespace nb::webhook;

namespace {

std::shared_ptr<RouteTarget> target(const char *id, const char *path) {
    return std::make_shared<RouteTarget>(nullptr, nullptr, id, path, 1024);
}

}  // namespace

TEST_CASE("request path drops the query string and fragment only") {
    CHECK(request_path("/webhook") == "/webhook");
    CHECK(request_path("/webhook?a=1&b=2") == "/webhook");
    CHECK(request_path("/webhook#x") == "/webhook");
    CHECK(request_path("/webhook/") == "/webhook/");
    CHECK(request_path("/Webhook") == "/Webhook");
    CHECK(request_path("http://host:8181/webhook?x") == "/webhook");
    CHECK(request_path("http://host:8181") == "/");
    CHECK(request_query("/webhook?a=1&b=2#f") == "a=1&b=2");
    CHECK(request_query("/webhook") == "");
}

TEST_CASE("route table matches exactly and case-sensitively") {
    RouteTable routes;
    const auto hook = target("hook", "/webhook");
    REQUIRE(routes.add(hook) == nullptr);
    CHECK(routes.acquire("/webhook"));
    CHECK_FALSE(routes.acquire("/Webhook"));
    CHECK_FALSE(routes.acquire("/webhook/"));
    CHECK_FALSE(routes.acquire("/webhookx"));
    CHECK_FALSE(routes.acquire("/"));
    CHECK_FALSE(routes.acquire(request_path("/x?/webhook")));
    CHECK(routes.acquire(request_path("/webhook?x=/y"))->target().node_id == "hook");
}

TEST_CASE("route table refuses a taken path, naming its holder") {
    RouteTable routes;
    REQUIRE(routes.add(target("a", "/p")) == nullptr);
    const auto holder = routes.add(target("b", "/p"));
    REQUIRE(holder != nullptr);
    CHECK(holder->node_id == "a");
    CHECK(routes.acquire("/p")->target().node_id == "a");
}

TEST_CASE("a removed route is no longer acquired and stop can wait for tickets") {
    RouteTable routes;
    const auto a = target("a", "/a");
    const auto b = target("b", "/b");
    routes.add(a);
    routes.add(b);
    {
        auto ticket = routes.acquire("/a");
        REQUIRE(ticket);
        CHECK_FALSE(routes.remove(*a));  // /b is still there
        CHECK_FALSE(routes.acquire("/a"));
    }
    a->wait_idle();  // the ticket is gone: returns at once
    CHECK(routes.remove(*b));
}

namespace {

// query_json's JSON, or what went wrong.
std::string query(std::string_view text) {
    const QueryJson q = query_json(text);
    switch (q.error) {
    case QueryJson::Error::none:
        return q.json;
    case QueryJson::Error::bad_utf8:
        return "(bad UTF-8)";
    case QueryJson::Error::too_many:
        return "(too many)";
    }
    return "(?)";
}

// `n` parameters: p0=0&p1=1&...
std::string parameters(std::size_t n) {
    std::string text;
    for (std::size_t i = 0; i < n; ++i) {
        text += (i ? "&p" : "p") + std::to_string(i) + "=" + std::to_string(i);
    }
    return text;
}

}  // namespace

TEST_CASE("query JSON decodes, keeps order and groups repeats") {
    CHECK(query("") == "{}");
    CHECK(query("a=1&b=two") == R"({"a":"1","b":"two"})");
    CHECK(query("x=a+b%20c&flag&&y=%E2%82%AC") == R"({"x":"a b c","flag":"","y":"€"})");
    CHECK(query("t=1&t=2&u=3&t=4") == R"({"t":["1","2","4"],"u":"3"})");
    CHECK(query("bad=%zz%4") == R"({"bad":"%zz%4"})");
    CHECK(query("q=%22%5C") == R"({"q":"\"\\"})");
    // Names are matched once decoded: "a+b", "a%20b" and "a b" are one name.
    CHECK(query("a+b=1&z=2&a%20b=3&a%2Bb=4") == R"({"a b":["1","3"],"z":"2","a+b":"4"})");
    CHECK(query("b=1&a=2&b=3&a=4&c=5&b=6") == R"({"b":["1","3","6"],"a":["2","4"],"c":"5"})");
    CHECK(query("x=%FF") == "(bad UTF-8)");
    CHECK(query("%C3=1") == "(bad UTF-8)");
}

TEST_CASE("query JSON takes 1000 parameters, repeats counting each time, and no more") {
    CHECK(kMaxQueryParameters == 1000);
    std::string most = "{";
    for (std::size_t i = 0; i < kMaxQueryParameters; ++i) {
        most += (i ? ",\"p" : "\"p") + std::to_string(i) + "\":\"" + std::to_string(i) + "\"";
    }
    most += "}";
    CHECK(query(parameters(kMaxQueryParameters)) == most);
    CHECK(query(parameters(kMaxQueryParameters + 1)) == "(too many)");
    // Empty parameters count for nothing; repeated names count each time.
    CHECK(query("&&" + parameters(kMaxQueryParameters) + "&&") == most);
    std::string repeated = "r=0";
    std::string array = R"({"r":["0")";
    for (std::size_t i = 1; i < kMaxQueryParameters; ++i) {
        repeated += "&r=" + std::to_string(i);
        array += ",\"" + std::to_string(i) + "\"";
    }
    CHECK(query(repeated) == array + "]}");
    CHECK(query(repeated + "&s") == "(too many)");
}

TEST_CASE("error JSON has one shape and escapes the message") {
    CHECK(error_json("no webhook") == R"({"status":"error","error":"no webhook"})");
    CHECK(error_json("a \"q\"\n") == R"({"status":"error","error":"a \"q\"\n"})");
}
