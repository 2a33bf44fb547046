#include "server_context.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace nb::net::tls {
namespace {

// Mozilla's "intermediate" configuration for TLS 1.2 (ECDHE only, AEAD
// only); TLS 1.3 keeps OpenSSL's defaults, which are the same suites.
constexpr const char *kCiphers12 =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr unsigned char kAlpnHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
constexpr unsigned char kSessionContext[] = "nb-webhook";
constexpr long kWarnDays = 7;

struct BioFree {
    void operator()(BIO *bio) const noexcept { BIO_free(bio); }
};
struct X509Free {
    void operator()(X509 *cert) const noexcept { X509_free(cert); }
};
struct KeyFree {
    void operator()(EVP_PKEY *key) const noexcept { EVP_PKEY_free(key); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
using Cert = std::unique_ptr<X509, X509Free>;
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;

std::string quoted(const std::string &path) { return "\"" + path + "\""; }

// OpenSSL's reason for the last failure, and an empty error queue.
std::string openssl_reason() {
    const unsigned long code = ERR_peek_last_error();
    const char *reason = code ? ERR_reason_error_string(code) : nullptr;
    ERR_clear_error();
    return reason ? reason : "unknown error";
}

[[noreturn]] void fail_openssl(const char *what) {
    throw std::runtime_error(std::string(what) + ": " + openssl_reason());
}

// The file's bytes in a memory BIO, read here so that a missing or
// forbidden file is told apart from a malformed one.
Bio read_file(const std::string &role, const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw TlsFileError(TlsFileError::Kind::unreadable,
                           role + " file " + quoted(path) + " cannot be read: " +
                               std::strerror(errno));
    }
    std::ostringstream text;
    text << in.rdbuf();
    const std::string bytes = text.str();
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || BIO_write(bio.get(), bytes.data(), static_cast<int>(bytes.size())) !=
                    static_cast<int>(bytes.size())) {
        fail_openssl("cannot buffer a PEM file");
    }
    return bio;
}

// Every PEM certificate in the file, in order; at least one.
std::vector<Cert> read_certificates(const std::string &role, const std::string &path) {
    const Bio bio = read_file(role, path);
    std::vector<Cert> certs;
    while (X509 *cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        certs.emplace_back(cert);
    }
    ERR_clear_error();  // the end of the file reads as an error
    if (certs.empty()) {
        throw TlsFileError(TlsFileError::Kind::invalid,
                           role + " file " + quoted(path) + " holds no PEM certificate");
    }
    return certs;
}

// No pass phrase: an encrypted key fails instead of prompting on a terminal.
int no_password(char *, int, int, void *) { return 0; }

Key read_key(const std::string &path) {
    const Bio bio = read_file("key", path);
    Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_password, nullptr));
    ERR_clear_error();
    if (!key) {
        throw TlsFileError(TlsFileError::Kind::invalid,
                           "key file " + quoted(path) +
                               " holds no PEM private key (or one encrypted with a pass phrase)");
    }
    return key;
}

std::string utc_text(const ASN1_TIME *time) {
    std::tm tm{};
    if (!ASN1_TIME_to_tm(time, &tm)) return "an unreadable date";
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return text;
}

// "" while the certificate is good for more than kWarnDays.
std::string expiry_warning(const std::string &path, X509 *cert) {
    const ASN1_TIME *not_after = X509_get0_notAfter(cert);
    int days = 0;
    int seconds = 0;
    if (!ASN1_TIME_diff(&days, &seconds, nullptr, not_after)) return "";
    if (days < 0 || seconds < 0 || (days == 0 && seconds == 0)) {
        return "certificate file " + quoted(path) + " expired on " + utc_text(not_after);
    }
    if (days < kWarnDays) {
        return "certificate file " + quoted(path) + " expires on " + utc_text(not_after) +
               ", within " + std::to_string(kWarnDays) + " days";
    }
    return "";
}

int select_alpn(SSL *, const unsigned char **out, unsigned char *out_len,
                const unsigned char *offered, unsigned int offered_len, void *) {
    unsigned char *chosen = nullptr;
    if (SSL_select_next_proto(&chosen, out_len, kAlpnHttp11, sizeof kAlpnHttp11, offered,
                              offered_len) != OPENSSL_NPN_NEGOTIATED) {
        return SSL_TLSEXT_ERR_NOACK;  // as nginx: no ALPN rather than no connection
    }
    *out = chosen;
    return SSL_TLSEXT_ERR_OK;
}

std::shared_ptr<SSL_CTX> new_context() {
    std::shared_ptr<SSL_CTX> context(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
    SSL_CTX *ctx = context.get();
    if (!ctx) fail_openssl("cannot make a TLS context");
    if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
        !SSL_CTX_set_cipher_list(ctx, kCiphers12) ||
        !SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1)) {
        fail_openssl("cannot configure a TLS context");
    }
    // A client closing without close_notify has ended its side, as over TCP.
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION |
                                 SSL_OP_IGNORE_UNEXPECTED_EOF);
    // Partial writes let an answer go out record by record from the
    // connection's buffer; released buffers make an idle or stalled
    // connection cost its SSL object only.
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                              SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_alpn_select_cb(ctx, select_alpn, nullptr);
    return context;
}

void use_client_ca(SSL_CTX *ctx, const std::string &path) {
    const auto cas = read_certificates("client CA", path);
    X509_STORE *store = SSL_CTX_get_cert_store(ctx);
    STACK_OF(X509_NAME) *names = sk_X509_NAME_new_null();
    if (!names) fail_openssl("cannot list client CAs");
    for (const auto &ca : cas) {
        X509_STORE_add_cert(store, ca.get());
        X509_NAME *name = X509_NAME_dup(X509_get_subject_name(ca.get()));
        if (!name || !sk_X509_NAME_push(names, name)) {
            X509_NAME_free(name);
            sk_X509_NAME_pop_free(names, X509_NAME_free);
            fail_openssl("cannot list client CAs");
        }
    }
    SSL_CTX_set_client_CA_list(ctx, names);  // takes the list
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
}

}  // namespace

LoadedContext load_server_context(const TlsFiles &files) {
    ERR_clear_error();
    auto chain = read_certificates("certificate", files.cert);
    const Key key = read_key(files.key);
    auto context = new_context();
    SSL_CTX *ctx = context.get();
    if (!SSL_CTX_use_certificate(ctx, chain.front().get())) {
        throw TlsFileError(TlsFileError::Kind::invalid, "certificate file " + quoted(files.cert) +
                                                            " cannot be used: " + openssl_reason());
    }
    for (std::size_t i = 1; i < chain.size(); ++i) {
        if (!SSL_CTX_add1_chain_cert(ctx, chain[i].get())) fail_openssl("cannot add a chain");
    }
    if (!SSL_CTX_use_PrivateKey(ctx, key.get()) || !SSL_CTX_check_private_key(ctx)) {
        ERR_clear_error();
        throw TlsFileError(TlsFileError::Kind::invalid, "key file " + quoted(files.key) +
                                                            " does not match certificate file " +
                                                            quoted(files.cert));
    }
    if (!files.client_ca.empty()) use_client_ca(ctx, files.client_ca);
    return {std::move(context), expiry_warning(files.cert, chain.front().get())};
}

void keep_ticket_keys(SSL_CTX *from, SSL_CTX *to) {
    unsigned char keys[80];  // name, HMAC and AES keys: OpenSSL's one size
    if (SSL_CTX_get_tlsext_ticket_keys(from, keys, sizeof keys) == 1) {
        SSL_CTX_set_tlsext_ticket_keys(to, keys, sizeof keys);
    }
    OPENSSL_cleanse(keys, sizeof keys);
    ERR_clear_error();
}

}  // namespace nb::net::tls
