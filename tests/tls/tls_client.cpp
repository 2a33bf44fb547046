#include "tls_client.hpp"

#include <memory>
#include <stdexcept>

#include <Poco/Net/StreamSocket.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "net_helpers.hpp"

namespace nb::test {

std::string post_request(const std::string &body) {
    return "POST /webhook HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

TlsReply tls_exchange(std::uint16_t port, const std::string &raw,
                      const TlsClientOptions &options) {
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                          SSL_CTX_free);
    if (options.min_version) SSL_CTX_set_min_proto_version(ctx.get(), options.min_version);
    if (options.max_version) SSL_CTX_set_max_proto_version(ctx.get(), options.max_version);
    if (!options.ciphers.empty()) SSL_CTX_set_cipher_list(ctx.get(), options.ciphers.c_str());
    if (!options.ca.empty()) {
        SSL_CTX_load_verify_locations(ctx.get(), options.ca.c_str(), nullptr);
        SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
    }
    if (!options.cert.empty()) {
        SSL_CTX_use_certificate_chain_file(ctx.get(), options.cert.c_str());
        SSL_CTX_use_PrivateKey_file(ctx.get(), options.key.c_str(), SSL_FILETYPE_PEM);
    }
    static const unsigned char alpn[] = {2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
    SSL_CTX_set_alpn_protos(ctx.get(), alpn, sizeof alpn);

    Poco::Net::StreamSocket socket = connect_raw(port);
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
    SSL_set_fd(ssl.get(), socket.impl()->sockfd());
    SSL_set_tlsext_host_name(ssl.get(), "localhost");
    if (options.resume) SSL_set_session(ssl.get(), options.resume.get());
    TlsReply reply;
    reply.handshake = SSL_connect(ssl.get()) == 1;
    if (!reply.handshake) {
        ERR_clear_error();
        return reply;
    }
    reply.resumed = SSL_session_reused(ssl.get()) == 1;
    const unsigned char *chosen = nullptr;
    unsigned int chosen_len = 0;
    SSL_get0_alpn_selected(ssl.get(), &chosen, &chosen_len);
    reply.alpn.assign(reinterpret_cast<const char *>(chosen), chosen_len);
    reply.version = SSL_version(ssl.get());
    if (X509 *cert = SSL_get1_peer_certificate(ssl.get())) {
        char cn[256] = {};
        X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
        reply.subject_cn = cn;
        X509_free(cert);
    }
    if (!raw.empty() && SSL_write(ssl.get(), raw.data(), static_cast<int>(raw.size())) <= 0) {
        ERR_clear_error();
        return reply;
    }
    char buffer[4096];
    for (;;) {
        const int n = SSL_read(ssl.get(), buffer, sizeof buffer);
        if (n <= 0) break;
        reply.answer.append(buffer, static_cast<std::size_t>(n));
        // Once data came: TLS 1.3's tickets come after the handshake.
        if (!reply.session) reply.session.reset(SSL_get1_session(ssl.get()), SSL_SESSION_free);
    }
    // A client's close_notify: without it OpenSSL makes the session
    // unresumable when the SSL is freed.
    (void)SSL_shutdown(ssl.get());
    ERR_clear_error();
    return reply;
}

}  // namespace nb::test
