#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include <openssl/ssl.h>

namespace nb::net::tls {

// The PEM files of one HTTPS port.
struct TlsFiles {
    std::string cert;       // the certificate chain, leaf first
    std::string key;        // its private key
    std::string client_ca;  // "" or the CAs that sign client certificates (mutual TLS)

    bool operator==(const TlsFiles &other) const {
        return cert == other.cert && key == other.key && client_ca == other.client_ca;
    }
};

// A file that cannot serve: `unreadable` (missing, no permission) or not
// what it should be (no PEM, a key not matching the certificate). The
// message names the file and says why.
class TlsFileError : public std::runtime_error {
public:
    enum class Kind { unreadable, invalid };
    TlsFileError(Kind kind, const std::string &message)
        : std::runtime_error(message), kind(kind) {}
    const Kind kind;
};

// One port's server context, made from its files, and what is worth a
// warning about them (a certificate expired or expiring within 7 days; ""
// when nothing is). Reads the files: never call it on an event loop.
struct LoadedContext {
    std::shared_ptr<SSL_CTX> context;
    std::string warning;
};

// TLS 1.2 and 1.3 only, Mozilla's "intermediate" ciphers, ALPN http/1.1,
// session tickets, and with `client_ca` clients must present a certificate
// it signed. Throws TlsFileError, or std::runtime_error when OpenSSL itself
// fails (no memory).
LoadedContext load_server_context(const TlsFiles &files);

// Gives `to` the ticket keys of `from`, so that tickets `from` issued still
// resume on `to`. Only between contexts of one port's files.
void keep_ticket_keys(SSL_CTX *from, SSL_CTX *to);

}  // namespace nb::net::tls
