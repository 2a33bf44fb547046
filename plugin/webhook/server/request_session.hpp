#pragma once

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Timespan.h>

namespace nb::webhook {

// Poco's HTTPServerSession, waiting for each request with one poll(2): Poco
// 1.11's Socket::poll builds and closes an epoll set per call, four syscalls
// per request on a keep-alive connection and one more set per connection.
// Also counts the requests a keep-alive connection may still send, which
// Poco only does inside its own wait.
class RequestSession final : public Poco::Net::HTTPServerSession {
public:
    RequestSession(const Poco::Net::StreamSocket &socket,
                   const Poco::Net::HTTPServerParams::Ptr &params);

    // [server-thread] Waits for the next request's first byte: the read
    // timeout for the first request, the keep-alive timeout after one. False
    // when the connection is to end: silent, closed, keep-alive off or spent.
    bool next_request();

    // Whether the answer to the current request may keep the connection.
    bool can_keep_alive() const noexcept { return remaining_ != 0; }

private:
    bool readable(const Poco::Timespan &wait);

    const Poco::Timespan first_wait_;
    const Poco::Timespan idle_wait_;
    int remaining_;  // requests this connection may still send; < 0: no limit
    bool first_ = true;
};

}  // namespace nb::webhook
