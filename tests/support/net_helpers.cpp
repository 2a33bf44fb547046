#include "net_helpers.hpp"

#include <doctest/doctest.h>

#include <cctype>
#include <istream>
#include <iterator>
#include <mutex>
#include <set>
#include <string_view>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

namespace nb::test {
namespace {

std::string lower(std::string text) {
    for (char &c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

const Poco::Net::SocketAddress loopback(std::uint16_t port) {
    return Poco::Net::SocketAddress("127.0.0.1", port);
}

// Receives until `done(received)`, the server closes or resets (*closed), or
// `timeout` passes in silence.
template <typename Done>
std::string receive_until(Poco::Net::StreamSocket &socket, std::chrono::milliseconds timeout,
                          Done done, bool *closed) {
    socket.setReceiveTimeout(Poco::Timespan(static_cast<long>(timeout.count()) * 1000));
    std::string received;
    char buffer[4096];
    bool ended = false;
    try {
        while (!done(received)) {
            const int n = socket.receiveBytes(buffer, sizeof buffer);
            if (n <= 0) {
                ended = true;
                break;
            }
            received.append(buffer, static_cast<std::size_t>(n));
        }
    } catch (const Poco::TimeoutException &) {
        // Still open after `timeout` of silence.
    } catch (const Poco::Net::NetException &) {
        ended = true;
    }
    if (closed) *closed = ended;
    return received;
}

}  // namespace

std::uint16_t free_port() {
    // The kernel may give a port it gave before once that one is closed
    // again: two nodes of one test would then collide.
    static std::mutex mutex;
    static std::set<std::uint16_t> given;
    const std::lock_guard lock(mutex);
    for (;;) {
        Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
        const std::uint16_t port = socket.address().port();
        if (given.insert(port).second) return port;
    }
}

std::string HttpReply::header(const std::string &lower_name) const {
    const auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
}

HttpReply http_request(std::uint16_t port, const HttpRequest &request,
                       std::chrono::seconds timeout) {
    Poco::Net::HTTPClientSession session(loopback(port));
    session.setTimeout(Poco::Timespan(static_cast<long>(timeout.count()), 0));
    Poco::Net::HTTPRequest req(request.method, request.target, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto &[name, value] : request.headers) req.add(name, value);
    if (request.chunked) {
        req.setChunkedTransferEncoding(true);
    } else if (!request.body.empty() || request.method == "POST") {
        req.setContentLength64(static_cast<Poco::Int64>(request.body.size()));
    }
    std::ostream &out = session.sendRequest(req);
    out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));

    Poco::Net::HTTPResponse res;
    std::istream &in = session.receiveResponse(res);
    HttpReply reply;
    reply.status = static_cast<int>(res.getStatus());
    reply.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    for (const auto &[name, value] : res) reply.headers[lower(name)] = value;
    return reply;
}

std::string raw_exchange(std::uint16_t port, const std::string &raw,
                         std::chrono::milliseconds timeout) {
    Poco::Net::StreamSocket socket(loopback(port));
    socket.sendBytes(raw.data(), static_cast<int>(raw.size()));
    // A server keeping the connection open, or resetting it after answering
    // (e.g. an unread body): what came so far is the answer.
    return read_until_close(socket, timeout);
}

bool can_connect(std::uint16_t port) {
    try {
        Poco::Net::StreamSocket socket;
        socket.connect(loopback(port), Poco::Timespan(2, 0));
        return true;
    } catch (const Poco::Exception &) {
        return false;
    }
}

int raw_status(const std::string &raw_response) {
    if (raw_response.size() < 12 || raw_response.compare(0, 5, "HTTP/") != 0) return 0;
    const auto space = raw_response.find(' ');
    if (space == std::string::npos) return 0;
    return std::atoi(raw_response.c_str() + space + 1);
}

Poco::Net::StreamSocket connect_raw(std::uint16_t port) {
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress("127.0.0.1", port), Poco::Timespan(5, 0));
    return socket;
}

void send_all(Poco::Net::StreamSocket &socket, const std::string &bytes) {
    REQUIRE(socket.sendBytes(bytes.data(), static_cast<int>(bytes.size())) ==
            static_cast<int>(bytes.size()));
}

std::string read_until_close(Poco::Net::StreamSocket &socket, std::chrono::milliseconds timeout,
                             bool *closed) {
    return receive_until(socket, timeout, [](const std::string &) { return false; }, closed);
}

std::string read_answer(Poco::Net::StreamSocket &socket, std::chrono::milliseconds timeout) {
    const auto whole = [](const std::string &received) {
        const std::string_view kLength = "\r\nContent-Length: ";
        const auto end = received.find("\r\n\r\n");
        if (end == std::string::npos) return false;
        const auto length = received.find(kLength);
        const std::size_t body =
            length < end ? std::stoul(received.substr(length + kLength.size())) : 0;
        return received.size() >= end + 4 + body;
    };
    return receive_until(socket, timeout, whole, nullptr);
}

bool is_closing_error(const std::string &answer) {
    const std::string_view start = R"({"status":"error","error":")";
    const auto end = answer.find("\r\n\r\n");
    return end != std::string::npos && answer.compare(end + 4, start.size(), start) == 0 &&
           answer.find("\r\nConnection: close\r\n") < end;
}

std::string send_after_continue(std::uint16_t port, const std::string &head,
                                const std::string &body) {
    Poco::Net::StreamSocket socket = connect_raw(port);
    send_all(socket, head);
    socket.setReceiveTimeout(Poco::Timespan(5, 0));
    char buffer[256];
    const int n = socket.receiveBytes(buffer, sizeof buffer);
    REQUIRE(n > 0);
    CHECK(std::string(buffer, static_cast<std::size_t>(n)).rfind("HTTP/1.1 100", 0) == 0);
    send_all(socket, body);
    socket.shutdownSend();
    return read_until_close(socket, std::chrono::milliseconds(5000));
}

}  // namespace nb::test
