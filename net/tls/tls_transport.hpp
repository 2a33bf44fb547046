#pragma once

#include <memory>

#include <openssl/ssl.h>

#include "server/transport.hpp"

namespace nb::net::tls {

// [server-thread] One HTTPS connection: drives the handshake, then reads and
// writes records, all non-blocking (nginx's ngx_event_openssl.c): OpenSSL's
// SSL_ERROR_WANT_READ / WANT_WRITE become the loop's waits. Its first byte
// decides: a TLS handshake record goes to OpenSSL; a letter, the start of a
// plain HTTP request, is Io::plain_http, and the transport then passes the
// socket's bytes as they are, for the plain answer that refuses it; anything
// else goes to OpenSSL too, which refuses it with an alert.
class TlsTransport final : public Transport {
public:
    // Throws std::bad_alloc when OpenSSL has no memory for the connection.
    TlsTransport(int fd, SSL_CTX *context, const BIO_METHOD *bio);

    IoResult read(char *into, std::size_t size) override;
    IoResult write(const char *from, std::size_t size) override;
    bool pending() const noexcept override;
    bool handshaking() const noexcept override;
    void close_notify() noexcept override;

private:
    enum class Mode { first_byte, tls, plain, broken };
    struct SslFree {
        void operator()(SSL *ssl) const noexcept { SSL_free(ssl); }
    };

    IoResult result_of(int returned);

    const int fd_;
    Mode mode_ = Mode::first_byte;
    PlainTransport plain_;
    std::unique_ptr<SSL, SslFree> ssl_;
};

}  // namespace nb::net::tls
