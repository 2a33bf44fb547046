#include <cerrno>

#include <sys/socket.h>

#include "transport.hpp"

namespace nb::net {
namespace {

IoResult result_of(ssize_t n, Io blocked) noexcept {
    if (n >= 0) return {Io::done, static_cast<std::size_t>(n)};
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? IoResult{blocked}
                                                                    : IoResult{Io::failed};
}

}  // namespace

IoResult PlainTransport::read(char *into, std::size_t size) {
    return result_of(::recv(fd_, into, size, 0), Io::want_read);
}

IoResult PlainTransport::write(const char *from, std::size_t size) {
    return result_of(::send(fd_, from, size, MSG_NOSIGNAL), Io::want_write);
}

}  // namespace nb::net
