#pragma once

#include <string>

namespace nb::test {

// A temporary folder of PEM files made with the `openssl` command: a test
// CA, a server certificate for 127.0.0.1 and localhost, a client certificate
// the CA signed, a foreign one (self-signed), a second server pair, a key
// matching none, an expired and an expiring certificate. Removed with it.
class TlsFiles {
public:
    TlsFiles();
    ~TlsFiles();
    TlsFiles(const TlsFiles &) = delete;
    TlsFiles &operator=(const TlsFiles &) = delete;

    std::string path(const std::string &name) const { return dir_ + "/" + name; }
    const std::string &dir() const { return dir_; }

    // A server pair (cert and key) signed by the CA, with `cn` as subject.
    void make_server_pair(const std::string &cn, const std::string &cert, const std::string &key,
                          const std::string &days = "30") const;

private:
    std::string dir_;
};

}  // namespace nb::test
