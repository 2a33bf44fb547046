#include "request_session.hpp"

#include <cerrno>

#include <poll.h>

#include <Poco/Net/StreamSocket.h>

namespace nb::webhook {

RequestSession::RequestSession(const Poco::Net::StreamSocket &socket,
                               const Poco::Net::HTTPServerParams::Ptr &params)
    : HTTPServerSession(socket, params),
      first_wait_(params->getTimeout()),
      idle_wait_(params->getKeepAliveTimeout()),
      remaining_(params->getMaxKeepAliveRequests() > 0 ? params->getMaxKeepAliveRequests() : -1) {}

bool RequestSession::next_request() {
    if (!socket().impl()->initialized()) return false;
    const bool first = first_;
    first_ = false;
    if (!first && (remaining_ == 0 || !getKeepAlive())) return false;
    if (remaining_ > 0) --remaining_;
    // A pipelined request may already be read.
    if (buffered() > 0) return true;
    return readable(first ? first_wait_ : idle_wait_);
}

bool RequestSession::readable(const Poco::Timespan &wait) {
    pollfd fd{socket().impl()->sockfd(), POLLIN, 0};
    const auto ms = static_cast<int>(wait.totalMilliseconds());
    for (;;) {
        const int n = ::poll(&fd, 1, ms);
        if (n >= 0) return n > 0;  // readable, closed or failed: the read tells
        if (errno != EINTR) return false;
    }
}

}  // namespace nb::webhook
