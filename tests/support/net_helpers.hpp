#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <Poco/Net/StreamSocket.h>

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

// Sends `head` (asking for 100-continue) on a new connection, checks that
// `100 Continue` comes first, then sends `body`, ends its side and returns
// the final answer.
std::string send_after_continue(std::uint16_t port, const std::string &head,
                                const std::string &body);

// Whether a raw answer refuses and ends the connection: "Connection: close"
// and the one shape of every error body, {"status":"error","error":...}.
bool is_closing_error(const std::string &answer);

}  // namespace nb::test
