#include "hostile_support.hpp"

#include <string_view>

#include <Poco/Net/NetException.h>
#include <Poco/Timespan.h>

namespace nb::test {

namespace {

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

std::size_t count_of(const std::string &text, const std::string &needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

}  // namespace nb::test
