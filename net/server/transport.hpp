#pragma once

#include <cstddef>
#include <memory>

namespace nb::net {

// What one read or write on a connection's transport did.
enum class Io {
    done,         // `bytes` moved (a read of 0 bytes: the client ended its side)
    want_read,    // nothing moved: retry once the socket is readable
    want_write,   // nothing moved: retry once the socket is writable
    failed,       // the connection is broken (reset, TLS alert): close it
    plain_http,   // a TLS port got what looks like a plain HTTP request
};

struct IoResult {
    Io io;
    std::size_t bytes = 0;
};

// [server-thread] The bytes of one connection as HTTP sees them: the socket's
// own (plain), or decrypted ones (TLS), so that one state machine serves
// both. Never blocks. Does not own the socket, which the connection closes.
class Transport {
public:
    virtual ~Transport() = default;
    virtual IoResult read(char *into, std::size_t size) = 0;
    virtual IoResult write(const char *from, std::size_t size) = 0;
    // Bytes that read() can give although the socket has none (TLS records
    // already decrypted), so that waiting for the socket would stall them.
    virtual bool pending() const noexcept { return false; }
    // Still establishing (a TLS handshake): no request has begun.
    virtual bool handshaking() const noexcept { return false; }
    // Before the connection's write side ends: says goodbye at the transport's
    // level (TLS close_notify), without waiting for an answer.
    virtual void close_notify() noexcept {}
};

// [server-thread] Makes the transport of each accepted connection of a port;
// thread-safe, since every loop of the port calls it. Must not block.
class TransportFactory {
public:
    virtual ~TransportFactory() = default;
    virtual std::unique_ptr<Transport> make(int fd) = 0;
};

// The plain transport: the socket's bytes, as they are.
class PlainTransport final : public Transport {
public:
    explicit PlainTransport(int fd) noexcept : fd_(fd) {}
    IoResult read(char *into, std::size_t size) override;
    IoResult write(const char *from, std::size_t size) override;

private:
    const int fd_;
};

}  // namespace nb::net
