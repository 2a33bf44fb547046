#include "digest.hpp"

#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

namespace nb::webhook::auth {
namespace {

// Poco 1.11's SHA2Engine lacks the BLOCK_SIZE and DIGEST_SIZE that
// HMACEngine reads; this names them for SHA-256 (as later Poco's
// SHA2Engine256 does), leaving the hashing and HMAC to Poco.
class Sha256Engine : public Poco::SHA2Engine {
public:
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    Sha256Engine() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

}  // namespace

Digest sha256(std::string_view data) {
    Sha256Engine engine;
    engine.update(data.data(), data.size());
    return engine.digest();
}

Digest hmac_sha256(std::string_view key, std::initializer_list<std::string_view> parts) {
    Poco::HMACEngine<Sha256Engine> engine(key.data(), key.size());
    for (const std::string_view part : parts) engine.update(part.data(), part.size());
    return engine.digest();
}

}  // namespace nb::webhook::auth
