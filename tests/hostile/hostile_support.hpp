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

// How many times `needle` occurs in `text`.
std::size_t count_of(const std::string &text, const std::string &needle);

}  // namespace nb::test
