#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <openssl/ssl.h>

namespace nb::test {

// What a test client offers: versions, ciphers, the CA it trusts (none:
// it verifies nothing) and a certificate of its own.
struct TlsClientOptions {
    int min_version = 0;  // 0: OpenSSL's default; else TLS1_1_VERSION, ...
    int max_version = 0;
    std::string ciphers;  // "" default; "...:@SECLEVEL=0" lowers the client's own floor
    std::string ca;
    std::string cert;
    std::string key;
    std::shared_ptr<SSL_SESSION> resume;  // a session to offer, from an earlier reply
};

struct TlsReply {
    bool handshake = false;  // SSL_connect succeeded
    std::string answer;      // every byte the server sent until it closed
    std::string alpn;        // the protocol the server chose, "" for none
    std::string subject_cn;  // the server certificate's common name
    int version = 0;         // the protocol version agreed
    bool resumed = false;    // the server took the offered session
    std::shared_ptr<SSL_SESSION> session;  // to resume later (a ticket, if the server gave one)
};

// One blocking TLS connection to 127.0.0.1:port sending `raw` (nothing when
// empty), then reading until the server closes (10 s of silence at most).
TlsReply tls_exchange(std::uint16_t port, const std::string &raw,
                      const TlsClientOptions &options = {});

// A POST of `body` to /webhook, asking to close after the answer.
std::string post_request(const std::string &body);

}  // namespace nb::test
