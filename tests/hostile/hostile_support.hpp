#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <Poco/Net/StreamSocket.h>

#include "fake_host.hpp"
#include "net_helpers.hpp"
#include "test_node.hpp"

namespace nb::test {

// A started webhook node on a free loopback port, path /webhook.
struct Served {
    FakeHost host;
    std::uint16_t port = free_port();
    TestNode node{host, "hook", port};
    explicit Served(const char *read_timeout_s = "10") {
        REQUIRE(node.set("read_timeout_s", read_timeout_s) == NB_OK);
        REQUIRE(node.start() == NB_OK);
    }
    ~Served() { node.stop(); }

    // A plain POST still gets its 200: the server is serving.
    bool still_serving() {
        HttpRequest req;
        req.body = "alive";
        return http_request(port, req, std::chrono::seconds(5)).status == 200;
    }
};

// A raw connection to 127.0.0.1:port for sending bytes piece by piece.
Poco::Net::StreamSocket connect_raw(std::uint16_t port);

// Sends all of `bytes` on a blocking socket.
void send_all(Poco::Net::StreamSocket &socket, const std::string &bytes);

// Everything the server sends until it closes or `timeout` passes in
// silence; a reset ends it too. Sets *closed when the server closed.
std::string read_until_close(Poco::Net::StreamSocket &socket, std::chrono::milliseconds timeout,
                             bool *closed = nullptr);

// One whole answer, head and Content-Length body, from a connection the
// server keeps open; what came so far if it closes or `timeout` passes in
// silence first. Reads nothing past the answer when the client waits for it
// before sending more.
std::string read_answer(Poco::Net::StreamSocket &socket, std::chrono::milliseconds timeout);

// Whether a raw answer refuses and ends the connection: "Connection: close"
// and the one shape of every error body, {"status":"error","error":...}.
bool is_closing_error(const std::string &answer);

// How many times `needle` occurs in `text`.
std::size_t count_of(const std::string &text, const std::string &needle);

}  // namespace nb::test
