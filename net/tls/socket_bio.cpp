#include "socket_bio.hpp"

#include <cerrno>
#include <cstdint>
#include <stdexcept>

#include <sys/socket.h>

namespace nb::net::tls {
namespace {

int fd_of(BIO *bio) { return static_cast<int>(reinterpret_cast<std::intptr_t>(BIO_get_data(bio))); }

bool would_block() { return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR; }

int bio_write(BIO *bio, const char *data, int size) {
    BIO_clear_retry_flags(bio);
    const ssize_t n = ::send(fd_of(bio), data, static_cast<std::size_t>(size), MSG_NOSIGNAL);
    if (n < 0 && would_block()) BIO_set_retry_write(bio);
    return static_cast<int>(n);
}

int bio_read(BIO *bio, char *into, int size) {
    BIO_clear_retry_flags(bio);
    const ssize_t n = ::recv(fd_of(bio), into, static_cast<std::size_t>(size), 0);
    if (n < 0 && would_block()) BIO_set_retry_read(bio);
    return static_cast<int>(n);
}

long bio_ctrl(BIO *, int command, long, void *) {
    return command == BIO_CTRL_FLUSH ? 1 : 0;  // nothing is buffered here
}

int bio_create(BIO *bio) {
    BIO_set_init(bio, 1);
    return 1;
}

}  // namespace

BioMethod make_socket_bio_method() {
    BioMethod method(BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "nb socket"));
    if (!method || !BIO_meth_set_write(method.get(), bio_write) ||
        !BIO_meth_set_read(method.get(), bio_read) || !BIO_meth_set_ctrl(method.get(), bio_ctrl) ||
        !BIO_meth_set_create(method.get(), bio_create)) {
        throw std::runtime_error("cannot make a socket BIO method");
    }
    return method;
}

BIO *new_socket_bio(const BIO_METHOD *method, int fd) {
    BIO *bio = BIO_new(method);
    if (bio) BIO_set_data(bio, reinterpret_cast<void *>(static_cast<std::intptr_t>(fd)));
    return bio;
}

}  // namespace nb::net::tls
