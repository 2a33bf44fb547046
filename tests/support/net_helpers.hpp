#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace nb::test {

// A loopback TCP port that was free a moment ago (bound to 0, then closed).
std::uint16_t free_port();

struct HttpReply {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // names lower-cased

    // The header's value, "" when absent.
    std::string header(const std::string &lower_name) const;
};

struct HttpRequest {
    std::string method = "POST";
    std::string target = "/webhook";  // path and query
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    bool chunked = false;  // send the body with Transfer-Encoding: chunked
};

// One request over Poco's HTTPClientSession to 127.0.0.1:port. Throws on
// network errors (e.g. Poco::Net::ConnectionRefusedException).
HttpReply http_request(std::uint16_t port, const HttpRequest &request,
                       std::chrono::seconds timeout = std::chrono::seconds(10));

// Sends `raw` bytes on a fresh TCP connection and returns everything the
// server sends until it closes or `timeout` passes without data.
std::string raw_exchange(std::uint16_t port, const std::string &raw,
                         std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

// True when a TCP connection to 127.0.0.1:port is accepted.
bool can_connect(std::uint16_t port);

// The status code of a raw HTTP answer ("HTTP/1.1 413 ..." -> 413), 0 if none.
int raw_status(const std::string &raw_response);

}  // namespace nb::test
