#include "tls_transport.hpp"

#include <cerrno>
#include <climits>
#include <new>

#include <openssl/err.h>
#include <sys/socket.h>

#include "socket_bio.hpp"

namespace nb::net::tls {
namespace {

constexpr unsigned char kHandshakeRecord = 0x16;

int clamp_size(std::size_t size) noexcept {
    return size > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(size);
}

}  // namespace

TlsTransport::TlsTransport(int fd, SSL_CTX *context, const BIO_METHOD *bio)
    : fd_(fd), plain_(fd), ssl_(SSL_new(context)) {
    if (!ssl_) throw std::bad_alloc();
    BIO *socket = new_socket_bio(bio, fd);
    if (!socket) throw std::bad_alloc();
    SSL_set_bio(ssl_.get(), socket, socket);  // the SSL owns it
    SSL_set_accept_state(ssl_.get());
}

IoResult TlsTransport::result_of(int returned) {
    const int error = SSL_get_error(ssl_.get(), returned);
    // The queue is per thread and shared by the loop's connections: leave
    // nothing in it for the next one to misread.
    ERR_clear_error();
    switch (error) {
    case SSL_ERROR_WANT_READ:
        return {Io::want_read};
    case SSL_ERROR_WANT_WRITE:
        return {Io::want_write};
    case SSL_ERROR_ZERO_RETURN:
        return {Io::done, 0};  // the client's close_notify: it ended its side
    default:
        // A fatal alert, or the socket's own end or failure: OpenSSL must not
        // be asked to say goodbye after it.
        mode_ = Mode::broken;
        return {Io::failed};
    }
}

IoResult TlsTransport::read(char *into, std::size_t size) {
    if (mode_ == Mode::first_byte) {
        unsigned char first = 0;
        const ssize_t n = ::recv(fd_, &first, 1, MSG_PEEK);
        if (n <= 0) return plain_.read(into, size);  // its end, or nothing yet
        const bool letter = first >= 'A' && first <= 'Z';
        mode_ = first != kHandshakeRecord && letter ? Mode::plain : Mode::tls;
        if (mode_ == Mode::plain) return {Io::plain_http};
    }
    if (mode_ == Mode::plain) return plain_.read(into, size);
    if (mode_ == Mode::broken) return {Io::failed};
    ERR_clear_error();
    if (!SSL_is_init_finished(ssl_.get())) {
        const int done = SSL_do_handshake(ssl_.get());
        if (done != 1) return result_of(done);
    }
    const int n = SSL_read(ssl_.get(), into, clamp_size(size));
    if (n > 0) return {Io::done, static_cast<std::size_t>(n)};
    return result_of(n);
}

IoResult TlsTransport::write(const char *from, std::size_t size) {
    if (mode_ == Mode::plain) return plain_.write(from, size);
    if (mode_ != Mode::tls) return {Io::failed};
    if (size == 0) return {Io::done, 0};
    ERR_clear_error();
    const int n = SSL_write(ssl_.get(), from, clamp_size(size));
    if (n > 0) return {Io::done, static_cast<std::size_t>(n)};
    return result_of(n);
}

bool TlsTransport::pending() const noexcept {
    return mode_ == Mode::tls && SSL_pending(ssl_.get()) > 0;
}

bool TlsTransport::handshaking() const noexcept {
    return (mode_ == Mode::first_byte || mode_ == Mode::tls) && !SSL_is_init_finished(ssl_.get());
}

void TlsTransport::close_notify() noexcept {
    if (mode_ != Mode::tls || !SSL_is_init_finished(ssl_.get())) return;
    mode_ = Mode::broken;  // once; nothing more is read or written
    ERR_clear_error();
    (void)SSL_shutdown(ssl_.get());
    ERR_clear_error();
}

}  // namespace nb::net::tls
