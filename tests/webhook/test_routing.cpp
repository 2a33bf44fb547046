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
        std::optional<Answer> on_body(const RequestHead &, std::string &, const Peer &,
                                      Parker &) override {
            return json_answer(200, name_);
        }

    private:
        std::string name_;
    };
    std::string name_;
};

RouteTable::Route route(const char *owner, const char *path,
                        std::shared_ptr<RequestHandlerFactory> handlers = nullptr) {
    return {path, owner, handlers ? handlers : std::make_shared<Named>(owner), {}};
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
