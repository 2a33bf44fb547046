// The example workflows of manifests/workflows/ that answer with the run's
// reply, run by nb-host on a free port and called like their senders would.
#include <doctest/doctest.h>

#include <string>

#include <net_helpers.hpp>

#include "helpers.hpp"
#include "process.hpp"

using namespace std::chrono_literals;

namespace {

// manifests/workflows/NAME with its port 8181 replaced by `port`.
std::string example_on_port(const std::string &name, std::uint16_t port) {
    std::string text = nb::test::read_file(std::string(NB_SOURCE_DIR) + "/manifests/workflows/" + name);
    const std::string demo_port = "\"port\": 8181";
    const auto at = text.find(demo_port);
    REQUIRE(at != std::string::npos);
    text.replace(at, demo_port.size(), "\"port\": " + std::to_string(port));
    return text;
}

// nb-host running an example workflow, listening.
struct Example {
    nb::test::TempDir dir;
    std::uint16_t port = nb::test::free_port();
    std::unique_ptr<nb::test::NbHost> host;

    explicit Example(const std::string &name) {
        nb::test::write_file(dir / "wf.json", example_on_port(name, port));
        host = std::make_unique<nb::test::NbHost>(
            std::vector<std::string>{"run", (dir / "wf.json").string()});
        REQUIRE(host->read_line().rfind("listening: http://0.0.0.0:" + std::to_string(port), 0) == 0);
    }
    ~Example() {
        host->signal(SIGTERM);
        CHECK(host->wait_for_exit(5s) == 0);
    }

    nb::test::HttpReply call(const std::string &target, const std::string &body,
                             const std::string &method = "POST") {
        nb::test::HttpRequest request;
        request.method = method;
        request.target = target;
        request.body = body;
        request.headers = {{"Content-Type", "application/json"}};
        return nb::test::http_request(port, request);
    }
};

}  // namespace

TEST_CASE("slack-challenge.json answers Slack's url_verification with the challenge, as text/plain") {
    Example slack("slack-challenge.json");
    const auto reply = slack.call(
        "/slack/events",
        R"({"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"})");
    CHECK(reply.status == 200);
    CHECK(reply.header("content-type") == "text/plain");
    CHECK(reply.body == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
}

TEST_CASE("slack-challenge.json: an event without a challenge fails its run, answered 500 naming the node") {
    Example slack("slack-challenge.json");
    const auto reply = slack.call("/slack/events", R"({"type":"event_callback","event":{}})");
    CHECK(reply.status == 500);
    CHECK(reply.header("content-type") == "application/json");
    CHECK(reply.body.find(R"(node \"challenge\" failed)") != std::string::npos);
    // The host keeps serving: the next handshake still works.
    CHECK(slack.call("/slack/events", R"({"challenge":"again"})").body == "again");
}

TEST_CASE("echo.json answers each POST or PUT with its own body, byte for byte, and its header") {
    Example echo("echo.json");
    for (const std::string method : {"POST", "PUT"}) {
        CAPTURE(method);
        const std::string body = "{\"π\": [1, 2, 3], \"line\": \"a\\nb\"}";
        const auto reply = echo.call("/echo", body, method);
        CHECK(reply.status == 200);
        CHECK(reply.header("content-type") == "text/plain; charset=utf-8");
        CHECK(reply.header("x-echo") == "nb-webhook");
        CHECK(reply.body == body);
    }
    const auto large = echo.call("/echo", std::string(900 * 1024, 'e'));
    CHECK(large.status == 200);
    CHECK(large.body.size() == 900 * 1024);
}
