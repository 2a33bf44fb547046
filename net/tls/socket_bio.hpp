#pragma once

#include <memory>

#include <openssl/bio.h>

namespace nb::net::tls {

struct BioMethodFree {
    void operator()(BIO_METHOD *method) const noexcept { BIO_meth_free(method); }
};
using BioMethod = std::unique_ptr<BIO_METHOD, BioMethodFree>;

// A BIO over a non-blocking socket that OpenSSL's own would be, but sending
// with MSG_NOSIGNAL: a client gone must not raise SIGPIPE in the process
// hosting the server. Throws std::runtime_error when OpenSSL has no memory.
BioMethod make_socket_bio_method();

// A BIO of `method` over `fd`, which it does not close; null without memory.
BIO *new_socket_bio(const BIO_METHOD *method, int fd);

}  // namespace nb::net::tls
