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

TEST_CASE("query JSON decodes, keeps order and groups repeats") {
    CHECK(*query_json("") == "{}");
    CHECK(*query_json("a=1&b=two") == R"({"a":"1","b":"two"})");
    CHECK(*query_json("x=a+b%20c&flag&&y=%E2%82%AC") == R"({"x":"a b c","flag":"","y":"€"})");
    CHECK(*query_json("t=1&t=2&u=3&t=4") == R"({"t":["1","2","4"],"u":"3"})");
    CHECK(*query_json("bad=%zz%4") == R"({"bad":"%zz%4"})");
    CHECK(*query_json("q=%22%5C") == R"({"q":"\"\\"})");
    CHECK_FALSE(query_json("x=%FF"));
}

TEST_CASE("error JSON has one shape and escapes the message") {
    CHECK(error_json("no webhook") == R"({"status":"error","error":"no webhook"})");
    CHECK(error_json("a \"q\"\n") == R"({"status":"error","error":"a \"q\"\n"})");
}
