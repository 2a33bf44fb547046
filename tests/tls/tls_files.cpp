#include "tls_files.hpp"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>

#include <openssl/pem.h>
#include <openssl/x509.h>

namespace nb::test {
namespace {

void run(const std::string &command) {
    if (std::system((command + " >/dev/null 2>&1").c_str()) != 0) {
        throw std::runtime_error("failed: " + command);
    }
}

// The openssl command cannot date a certificate in the past: made with the
// API, signed by the CA, valid from two days ago to yesterday.
void make_expired(const TlsFiles &files) {
    FILE *key_file = std::fopen(files.path("server.key").c_str(), "r");
    FILE *ca_key_file = std::fopen(files.path("ca.key").c_str(), "r");
    FILE *ca_file = std::fopen(files.path("ca.pem").c_str(), "r");
    if (!key_file || !ca_key_file || !ca_file) throw std::runtime_error("no CA files");
    EVP_PKEY *key = PEM_read_PrivateKey(key_file, nullptr, nullptr, nullptr);
    EVP_PKEY *ca_key = PEM_read_PrivateKey(ca_key_file, nullptr, nullptr, nullptr);
    X509 *ca = PEM_read_X509(ca_file, nullptr, nullptr, nullptr);
    std::fclose(key_file);
    std::fclose(ca_key_file);
    std::fclose(ca_file);
    X509 *cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 7);
    X509_gmtime_adj(X509_getm_notBefore(cert), -2 * 86400);
    X509_gmtime_adj(X509_getm_notAfter(cert), -86400);
    X509_NAME *name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char *>("expired"), -1, -1, 0);
    X509_set_issuer_name(cert, X509_get_subject_name(ca));
    X509_set_pubkey(cert, key);
    X509_sign(cert, ca_key, EVP_sha256());
    FILE *out = std::fopen(files.path("expired.pem").c_str(), "w");
    PEM_write_X509(out, cert);
    std::fclose(out);
    X509_free(cert);
    X509_free(ca);
    EVP_PKEY_free(ca_key);
    EVP_PKEY_free(key);
}

}  // namespace

TlsFiles::TlsFiles() {
    char pattern[] = "/tmp/nb-tls-XXXXXX";
    if (!::mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    run("openssl req -x509" + ec + " -keyout " + path("ca.key") + " -out " + path("ca.pem") +
        " -days 30 -subj /CN=nb-test-ca");
    make_server_pair("localhost", "server.pem", "server.key");
    make_server_pair("renewed", "renewed.pem", "renewed.key");
    make_server_pair("expiring", "expiring.pem", "expiring.key", "1");
    make_server_pair("client", "client.pem", "client.key");
    run("openssl req -x509" + ec + " -keyout " + path("foreign.key") + " -out " +
        path("foreign.pem") + " -days 30 -subj /CN=foreign");
    run("openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:prime256v1 -out " +
        path("other.key"));
    std::ofstream(path("not-pem.txt")) << "this is not PEM\n";
    make_expired(*this);
}

TlsFiles::~TlsFiles() { (void)std::system(("rm -rf " + dir_).c_str()); }

void TlsFiles::make_server_pair(const std::string &cn, const std::string &cert,
                                const std::string &key, const std::string &days) const {
    const std::string ext = path(cn + ".ext");
    std::ofstream(ext) << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
    run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " +
        path(key) + " -out " + path(cn + ".csr") + " -subj /CN=" + cn);
    run("openssl x509 -req -in " + path(cn + ".csr") + " -CA " + path("ca.pem") + " -CAkey " +
        path("ca.key") + " -CAcreateserial -days " + days + " -extfile " + ext + " -out " +
        path(cert));
}

}  // namespace nb::test
