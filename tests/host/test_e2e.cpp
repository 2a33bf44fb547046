// nb-host run with the real webhook plugin, driven over HTTP like a user would.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <net_helpers.hpp>

#include <json_text.hpp>

#include "helpers.hpp"
#include "process.hpp"

using namespace std::chrono_literals;

namespace {

// webhook -> file_append(json) sink, on `port`.
std::string sink_workflow(uint16_t port, const std::string &sink) {
    return R"({"name": "e2e", "nodes": [
        {"id": "hook", "type": "events.webhook", "widgets": {"port": )" + std::to_string(port) + R"(, "path": "/in"}},
        {"id": "sink", "type": "basic.file_append", "widgets": {"file": ")" + sink + R"(", "format": "json"}}],
      "edges": [{"from": "hook.received_data", "to": "sink.text"}]})";
}

nb::test::HttpRequest post(const std::string &body) {
    nb::test::HttpRequest request;
    request.target = "/in";
    request.body = body;
    return request;
}

std::map<std::string, int> sink_lines(const std::filesystem::path &file) {
    std::map<std::string, int> seen;
    std::istringstream lines(nb::test::read_file(file));
    for (std::string line; std::getline(lines, line);) ++seen[line];
    return seen;
}

}  // namespace

TEST_CASE("POST reaches the sink; SIGTERM then exits 0") {
    nb::test::TempDir dir;
    const uint16_t port = nb::test::free_port();
    nb::test::write_file(dir / "wf.json", sink_workflow(port, (dir / "sink.txt").string()));
    nb::test::NbHost host({"run", (dir / "wf.json").string(), "--workers", "2"});
    CHECK(host.read_line() == "listening: http://0.0.0.0:" + std::to_string(port) + "/in (node hook)");
    const auto reply = nb::test::http_request(port, post("hello \"world\"\nline two"));
    CHECK(reply.status == 200);
    CHECK(reply.body == R"({"status":"ok"})");
    host.signal(SIGTERM);
    CHECK(host.wait_for_exit(5s) == 0);
    CHECK(nb::test::read_file(dir / "sink.txt") == "\"hello \\\"world\\\"\\nline two\"\n");
}

TEST_CASE("--stats prints run counts and latency percentiles on exit") {
    nb::test::TempDir dir;
    const uint16_t port = nb::test::free_port();
    nb::test::write_file(dir / "wf.json", sink_workflow(port, (dir / "sink.txt").string()));
    nb::test::NbHost host({"run", (dir / "wf.json").string(), "--stats"});
    REQUIRE(host.read_line().rfind("listening:", 0) == 0);
    for (int i = 0; i < 3; ++i) CHECK(nb::test::http_request(port, post("x")).status == 200);
    host.signal(SIGTERM);
    CHECK(host.wait_for_exit(5s) == 0);
    const std::string err = host.all_stderr();
    CHECK(err.find("stats: runs 3 (0 failed); accepted to finished: p50 ") != std::string::npos);
    CHECK(err.find(", max ") != std::string::npos);
}

TEST_CASE("SIGTERM with requests in flight: exit 0, every 200 in the sink exactly once") {
    nb::test::TempDir dir;
    const uint16_t port = nb::test::free_port();
    const auto sink = dir / "sink.txt";
    nb::test::write_file(dir / "wf.json", sink_workflow(port, sink.string()));
    nb::test::NbHost host({"run", (dir / "wf.json").string(), "--workers", "2", "--queue", "8"});
    REQUIRE(host.read_line().rfind("listening:", 0) == 0);

    std::mutex mutex;
    std::vector<std::string> answered_200;
    std::atomic<int> sent{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c) {
        clients.emplace_back([&, c] {
            for (int i = 0; !stop; ++i) {
                const std::string body = "client " + std::to_string(c) + " request " + std::to_string(i);
                try {
                    ++sent;
                    if (nb::test::http_request(port, post(body), 5s).status == 200) {
                        std::lock_guard lock(mutex);
                        answered_200.push_back(body);
                    }
                } catch (...) {
                    return;  // listener gone: this client is done
                }
            }
        });
    }
    while (sent < 40) std::this_thread::sleep_for(1ms);
    host.signal(SIGTERM);
    const auto code = host.wait_for_exit(10s);
    stop = true;
    for (auto &t : clients) t.join();
    CHECK(code == 0);
    const auto seen = sink_lines(sink);
    REQUIRE(!answered_200.empty());
    for (const auto &body : answered_200) {
        CAPTURE(body);
        CHECK(seen.count(nb::json_string(body)) == 1);
        CHECK(seen.at(nb::json_string(body)) == 1);
    }
    for (const auto &[line, count] : seen) CHECK(count == 1);
}

TEST_CASE("a port in use: non-zero exit within 2 s naming the port and saying in use") {
    nb::test::TempDir dir;
    Poco::Net::ServerSocket taken(Poco::Net::SocketAddress("0.0.0.0", 0));
    const uint16_t port = taken.address().port();
    nb::test::write_file(dir / "wf.json", sink_workflow(port, (dir / "sink.txt").string()));
    nb::test::NbHost host({"run", (dir / "wf.json").string()});
#ifdef NB_SANITIZED_BUILD
    const auto code = host.wait_for_exit(20s);
#else
    const auto code = host.wait_for_exit(2s);
#endif
    REQUIRE(code.has_value());
    CHECK(*code != 0);
    const std::string err = host.all_stderr();
    CAPTURE(err);
    CHECK(err.find(std::to_string(port)) != std::string::npos);
    CHECK(err.find("in use") != std::string::npos);
    CHECK(host.rest_of_stdout().find("listening:") == std::string::npos);
}

TEST_CASE("nb-host check refuses a port out of range with the allowed range") {
    nb::test::TempDir dir;
    nb::test::write_file(dir / "wf.json", sink_workflow(80, "x"));
    const auto result = nb::test::run_nb_host({"check", (dir / "wf.json").string()});
    CHECK(result.code == 1);
    CHECK(result.err.find("node \"hook\" (events.webhook): widget \"port\"") != std::string::npos);
    CHECK(result.err.find("1024") != std::string::npos);
    CHECK(result.err.find("65535") != std::string::npos);
}

TEST_CASE("SIGINT while a client trickles a body to one of two nodes on a port: exit 0 at once, 503") {
    nb::test::TempDir dir;
    const uint16_t port = nb::test::free_port();
    const std::string p = std::to_string(port);
    nb::test::write_file(dir / "wf.json", R"({"name": "shared", "nodes": [
        {"id": "a", "type": "events.webhook", "widgets": {"port": )" + p + R"(, "path": "/a"}},
        {"id": "b", "type": "events.webhook", "widgets": {"port": )" + p + R"(, "path": "/b"}},
        {"id": "show", "type": "basic.log"}],
      "edges": [{"from": "a.received_data", "to": "show.text"}]})");
    nb::test::NbHost host({"run", (dir / "wf.json").string()});
    CHECK(host.read_line().find("(node a)") != std::string::npos);
    CHECK(host.read_line().find("(node b)") != std::string::npos);

    // A byte every 300 ms: the body never ends and never falls silent.
    Poco::Net::StreamSocket client(Poco::Net::SocketAddress("127.0.0.1", port));
    const std::string head = "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n";
    client.sendBytes(head.data(), static_cast<int>(head.size()));
    std::atomic<bool> trickling{true};
    std::thread trickle([&] {
        try {
            while (trickling) {
                client.sendBytes("x", 1);
                std::this_thread::sleep_for(300ms);
            }
        } catch (const Poco::Exception &) {
            // The server closed the connection.
        }
    });
    std::this_thread::sleep_for(700ms);
    host.signal(SIGINT);
    const auto code = host.wait_for_exit(4s);
    client.setReceiveTimeout(Poco::Timespan(2, 0));
    std::string answer(512, '\0');
    int got = 0;
    try {
        got = client.receiveBytes(answer.data(), static_cast<int>(answer.size()));
    } catch (const Poco::Exception &) {
        got = 0;
    }
    trickling = false;
    trickle.join();
    CHECK(code == 0);
    answer.resize(static_cast<std::size_t>(std::max(got, 0)));
    CHECK(nb::test::raw_status(answer) == 503);
}
