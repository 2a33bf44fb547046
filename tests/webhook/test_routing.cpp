#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "http/request_json.hpp"
#include "http/request_path.hpp"
#include "http/responses.hpp"
#include "routing/route_table.hpp"

using namespace nb::net;
using nb::webhook::RouteTable;

namespace {

// Handlers that answer every request with their owner's name, at its head.
class Named : public RequestHandlerFactory {
public:
    explicit Named(std::string name) : name_(std::move(name)) {}
    std::unique_ptr<RequestHandler> create(const RequestHead &) override {
        return std::make_unique<Handler>(name_);
    }

private:
    class Handler : public RequestHandler {
    public:
        explicit Handler(std::string name) : name_(std::move(name)) {}
        std::optional<Answer> on_head(const RequestHead &, const Peer &) override {
            return json_answer(200, name_);
        }
        std::uint64_t max_body_bytes() const noexcept override { return 0; }
        Answer on_body(const RequestHead &, std::string &, const Peer &) override {
            return json_answer(200, name_);
        }

    private:
        std::string name_;
    };
    std::string name_;
};

RouteTable::Route route(const char *owner, const char *path,
                        std::shared_ptr<RequestHandlerFactory> handlers = nullptr) {
    return {path, owner, handlers ? handlers : std::make_shared<Named>(owner)};
}

// Who answers a request for `target`: a route's owner, or "404".
std::string served_by(RouteTable &routes, const char *target) {
    RequestHead head;
    head.method = "POST";
    head.target = target;
    const Peer peer(Poco::Net::SocketAddress("127.0.0.1", 40000));
    const auto answer = routes.create(head)->on_head(head, peer);
    REQUIRE(answer);
    return answer->status == 404 ? "404" : answer->body;
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
    REQUIRE_FALSE(routes.add(route("hook", "/webhook")));
    CHECK(served_by(routes, "/webhook") == "hook");
    CHECK(served_by(routes, "/Webhook") == "404");
    CHECK(served_by(routes, "/webhook/") == "404");
    CHECK(served_by(routes, "/webhookx") == "404");
    CHECK(served_by(routes, "/") == "404");
    CHECK(served_by(routes, "/x?/webhook") == "404");
    CHECK(served_by(routes, "/webhook?x=/y") == "hook");
}

TEST_CASE("route table refuses a taken path, naming its holder") {
    RouteTable routes;
    REQUIRE_FALSE(routes.add(route("a", "/p")));
    const auto holder = routes.add(route("b", "/p"));
    REQUIRE(holder);
    CHECK(*holder == "a");
    CHECK(served_by(routes, "/p") == "a");
    CHECK(routes.any_owner() == "a");
}

TEST_CASE("a removed route answers 404; only its own handlers remove it") {
    RouteTable routes;
    const auto a = std::make_shared<Named>("a");
    const auto other = std::make_shared<Named>("a");
    routes.add(route("a", "/a", a));
    routes.add(route("b", "/b"));
    CHECK_FALSE(routes.remove("/a", *other));  // not the handlers routed there
    CHECK(served_by(routes, "/a") == "a");
    CHECK_FALSE(routes.remove("/a", *a));  // /b is still there
    CHECK(served_by(routes, "/a") == "404");
    CHECK(served_by(routes, "/b") == "b");
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
