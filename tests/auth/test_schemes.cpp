// The signature schemes on their own: published vectors, then every way a
// delivery can be wrong.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>

#include "auth/digest.hpp"
#include "auth/encoding.hpp"
#include "auth/scheme.hpp"
#include "auth/verifier.hpp"

using namespace nb::webhook::auth;

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

// The verdict of `scheme` with `secret` on a delivery: "" when it passes.
std::string verdict(Scheme scheme, const std::string &secret, const Headers &headers,
                    const std::string &body, std::int64_t now, std::int64_t tolerance = 300) {
    std::string error;
    const auto key = signing_key(scheme, secret, error);
    REQUIRE_MESSAGE(key, error);
    nb::net::HeaderFields fields;
    for (const auto &[name, value] : headers) fields.add(name, value);
    const Failure failure = Verifier(scheme, *key, tolerance).verify(fields, body, now);
    return failure ? failure->message : "";
}

// GitHub's documented example ("Validating webhook deliveries").
const std::string kGithubSecret = "It's a Secret to Everybody";
const std::string kGithubBody = "Hello, World!";
const std::string kGithubSignature =
    "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

// The Standard Webhooks reference library's test vector.
const std::string kSwSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const std::string kSwId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const std::string kSwTimestamp = "1614265330";
const std::string kSwBody = R"({"test": 2432232314})";
const std::string kSwSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
constexpr std::int64_t kSwTime = 1614265330;

// A Stripe-format vector made independently of this code with
//   printf '%s' '1700000000.{"id":"evt_test","object":"event"}' |
//     openssl dgst -sha256 -hmac 'whsec_test_stripe_secret'
const std::string kStripeSecret = "whsec_test_stripe_secret";
const std::string kStripeBody = R"({"id":"evt_test","object":"event"})";
const std::string kStripeHex = "ef3232e6259bbf57db071c99188c9f4379bda788a7abdf7eb9d562cf5529dec0";
constexpr std::int64_t kStripeTime = 1700000000;

// A delivery as the svix library signs it, with its default header names
// (svix-id, svix-timestamp, svix-signature), made independently of this code:
//   python3: base64(hmac.new(base64.b64decode(key), f"{id}.{ts}.{body}".encode(),
//                            sha256).digest())
// and checked with openssl dgst -sha256 -mac HMAC -macopt hexkey:... -binary.
const std::string kSvixSecret = "whsec_bmItd2ViaG9vayBzdml4IHRlc3Qga2V5IDMyIGJ5dGU=";
const std::string kSvixId = "msg_2Vsvix0dK4cPqB8R1tFz9yWmXeA";
const std::string kSvixTimestamp = "1700000000";
const std::string kSvixBody = R"({"type":"email.sent","data":{"to":"a@b.c"}})";
const std::string kSvixSignature = "v1,ZKRmVZ451QKQJOgGlEvIv5+mHAF5sr9uUDD5jYJxaus=";
constexpr std::int64_t kSvixTime = 1700000000;

Headers svix_headers(const std::string &signature = kSvixSignature,
                     const std::string &id = kSvixId) {
    return {{"svix-id", id}, {"svix-timestamp", kSvixTimestamp}, {"svix-signature", signature}};
}

Headers sw_headers(const std::string &signature, const std::string &timestamp = kSwTimestamp) {
    return {{"webhook-id", kSwId}, {"webhook-timestamp", timestamp}, {"webhook-signature", signature}};
}

}  // namespace

TEST_CASE("HMAC-SHA256 and SHA-256 from Poco match RFC 4231 case 2 and FIPS 180-2") {
    CHECK(Poco::DigestEngine::digestToHex(hmac_sha256("Jefe", {"what do ya want ", "for nothing?"})) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(Poco::DigestEngine::digestToHex(sha256("abc")) ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// The schemes compare and decode with Poco's DigestEngine; these are the
// properties they rely on.
TEST_CASE("Poco's constantTimeEquals: equal only for the same bytes and length") {
    const auto equals = [](const Digest &a, const Digest &b) {
        return Poco::DigestEngine::constantTimeEquals(a, b);
    };
    CHECK(equals({1, 2, 3}, {1, 2, 3}));
    CHECK_FALSE(equals({1, 2, 3}, {1, 2, 4}));
    CHECK_FALSE(equals({1, 2, 3}, {1, 2}));  // a shorter second one is not read past
    CHECK_FALSE(equals({1, 2}, {1, 2, 3}));
    CHECK(equals({}, {}));
}

TEST_CASE("hex (Poco's digestFromHex) and base64 decoding refuse malformed text") {
    CHECK(Poco::DigestEngine::digestFromHex("00fFa0") == Digest{0x00, 0xff, 0xa0});
    CHECK(Poco::DigestEngine::digestFromHex("").empty());
    for (const char *bad : {"0", "0g", "zz", " 00", "0 ", "+1", "0x"}) {
        CAPTURE(bad);
        CHECK_THROWS_AS(Poco::DigestEngine::digestFromHex(bad), Poco::DataFormatException);
    }
    CHECK(*base64_decode("aGk=") == "hi");
    for (const char *bad : {"", "aGk", "a Gk=", "aG=k", "aGk===", "aGk*"}) {
        CAPTURE(bad);
        CHECK_FALSE(base64_decode(bad));
    }
}

TEST_CASE("github: the documented vector passes; tampering, wrong key, bad headers do not") {
    const auto github = [](const std::string &secret, Headers headers, const std::string &body) {
        return verdict(Scheme::github, secret, headers, body, 0);
    };
    CHECK(github(kGithubSecret, {{"X-Hub-Signature-256", kGithubSignature}}, kGithubBody) == "");
    CHECK(github(kGithubSecret, {{"x-hub-signature-256", kGithubSignature}}, kGithubBody) == "");
    CHECK(github(kGithubSecret, {{"X-Hub-Signature-256", kGithubSignature}}, "Hello, World?") ==
          "X-Hub-Signature-256 does not match the body");
    CHECK(github("another secret", {{"X-Hub-Signature-256", kGithubSignature}}, kGithubBody) ==
          "X-Hub-Signature-256 does not match the body");
    CHECK(github(kGithubSecret, {}, kGithubBody) == "X-Hub-Signature-256 header is missing");
    for (const std::string &bad : {kGithubSignature.substr(7), "sha1=" + kGithubSignature.substr(7),
                                  kGithubSignature.substr(0, 70), kGithubSignature + "00",
                                  std::string("sha256=") + std::string(64, 'x')}) {
        CAPTURE(bad);
        CHECK(github(kGithubSecret, {{"X-Hub-Signature-256", bad}}, kGithubBody) ==
              "X-Hub-Signature-256 is malformed: expected sha256=<64 hex digits>");
    }
}

TEST_CASE("standard-webhooks: the reference vector passes at its time, not at today's") {
    const auto sw = [](Headers headers, const std::string &body, std::int64_t now) {
        return verdict(Scheme::standard_webhooks, kSwSecret, headers, body, now);
    };
    CHECK(sw(sw_headers(kSwSignature), kSwBody, kSwTime) == "");
    CHECK(sw(sw_headers(kSwSignature), kSwBody, kSwTime + 300) == "");
    CHECK(sw(sw_headers(kSwSignature), kSwBody, kSwTime - 300) == "");
    const std::string old = sw(sw_headers(kSwSignature), kSwBody, 1767225600);  // 2026-01-01
    CHECK(old.find("webhook-timestamp is too old") == 0);
    CHECK(sw(sw_headers(kSwSignature), kSwBody, kSwTime + 301).find("too old") !=
          std::string::npos);
    CHECK(sw(sw_headers(kSwSignature), kSwBody, kSwTime - 301)
              .find("webhook-timestamp is in the future") == 0);
}

TEST_CASE("standard-webhooks: a list of signatures passes when any v1 matches") {
    const auto sw = [](const std::string &signatures) {
        return verdict(Scheme::standard_webhooks, kSwSecret, sw_headers(signatures), kSwBody,
                       kSwTime);
    };
    const std::string wrong = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=";
    CHECK(sw(wrong + " " + kSwSignature) == "");
    CHECK(sw("v1a,abcd " + kSwSignature + " " + wrong) == "");
    CHECK(sw(wrong) == "no webhook-signature matches the body");
    CHECK(sw(wrong + " v1,not*base64") == "no webhook-signature matches the body");
    CHECK(sw("v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v2,x") ==
          "webhook-signature holds no v1,<base64> signature");
    CHECK(sw("") == "webhook-signature holds no v1,<base64> signature");
}

TEST_CASE("standard-webhooks: tampered body, id or timestamp, wrong key, missing headers") {
    const auto sw = [](const std::string &secret, Headers headers, const std::string &body) {
        return verdict(Scheme::standard_webhooks, secret, headers, body, kSwTime);
    };
    const std::string mismatch = "no webhook-signature matches the body";
    CHECK(sw(kSwSecret, sw_headers(kSwSignature), R"({"test": 2432232315})") == mismatch);
    CHECK(sw(kSwSecret, sw_headers(kSwSignature, "1614265331"), kSwBody) == mismatch);
    CHECK(sw(kSwSecret,
             {{"webhook-id", "msg_other"}, {"webhook-timestamp", kSwTimestamp},
              {"webhook-signature", kSwSignature}},
             kSwBody) == mismatch);
    CHECK(sw("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", sw_headers(kSwSignature), kSwBody) ==
          mismatch);
    // The reference libraries also take the key without its whsec_ prefix.
    CHECK(sw(kSwSecret.substr(6), sw_headers(kSwSignature), kSwBody) == "");
    CHECK(sw(kSwSecret, sw_headers(kSwSignature, "16142653.30"), kSwBody) ==
          "webhook-timestamp is malformed: expected Unix seconds");
    CHECK(sw(kSwSecret, sw_headers(kSwSignature, "-1"), kSwBody) ==
          "webhook-timestamp is malformed: expected Unix seconds");
    CHECK(sw(kSwSecret, {{"webhook-timestamp", kSwTimestamp}, {"webhook-signature", kSwSignature}},
             kSwBody) == "webhook-id header is missing");
    CHECK(sw(kSwSecret, {{"webhook-id", kSwId}, {"webhook-signature", kSwSignature}}, kSwBody) ==
          "webhook-timestamp header is missing");
    CHECK(sw(kSwSecret, {{"webhook-id", kSwId}, {"webhook-timestamp", kSwTimestamp}}, kSwBody) ==
          "webhook-signature header is missing");
}

TEST_CASE("standard-webhooks: Svix's own header names verify as webhook-* do") {
    const auto svix = [](Headers headers, const std::string &body = kSvixBody,
                         std::int64_t now = kSvixTime) {
        return verdict(Scheme::standard_webhooks, kSvixSecret, headers, body, now);
    };
    CHECK(svix(svix_headers()) == "");
    CHECK(svix({{"Svix-Id", kSvixId}, {"Svix-Timestamp", kSvixTimestamp},
                {"Svix-Signature", kSvixSignature}}) == "");
    // The same delivery under the webhook-* names: one scheme, two spellings.
    CHECK(svix({{"webhook-id", kSvixId}, {"webhook-timestamp", kSvixTimestamp},
                {"webhook-signature", kSvixSignature}}) == "");
    // The Standard Webhooks reference vector sent with svix-* names.
    CHECK(verdict(Scheme::standard_webhooks, kSwSecret,
                  {{"svix-id", kSwId}, {"svix-timestamp", kSwTimestamp},
                   {"svix-signature", kSwSignature}},
                  kSwBody, kSwTime) == "");
    // Failures name the svix-* header that was read.
    CHECK(svix(svix_headers(), kSvixBody + " ") == "no svix-signature matches the body");
    CHECK(svix(svix_headers(kSvixSignature, "msg_other")) == "no svix-signature matches the body");
    CHECK(svix(svix_headers(), kSvixBody, kSvixTime + 301).find("svix-timestamp is too old") == 0);
    CHECK(svix(svix_headers("v2,abc")) == "svix-signature holds no v1,<base64> signature");
    CHECK(svix({{"svix-id", kSvixId}, {"svix-signature", kSvixSignature}}) ==
          "svix-timestamp header is missing");
    CHECK(svix({{"svix-timestamp", kSvixTimestamp}, {"svix-signature", kSvixSignature}}) ==
          "svix-id header is missing");
    CHECK(svix({{"svix-id", kSvixId}, {"svix-timestamp", kSvixTimestamp}}) ==
          "svix-signature header is missing");
}

TEST_CASE("standard-webhooks: with both families, a whole svix-* set wins; none is mixed") {
    const auto sw = [](Headers headers) {
        return verdict(Scheme::standard_webhooks, kSvixSecret, headers, kSvixBody, kSvixTime);
    };
    const Headers webhook_set = {{"webhook-id", kSvixId},
                                 {"webhook-timestamp", kSvixTimestamp},
                                 {"webhook-signature", kSvixSignature}};
    const std::string bogus = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=";
    auto with = [](Headers a, const Headers &b) {
        a.insert(a.end(), b.begin(), b.end());
        return a;
    };
    // A complete svix-* set is read, whatever webhook-* says...
    CHECK(sw(with(svix_headers(), {{"webhook-id", "msg_other"},
                                   {"webhook-timestamp", "1"},
                                   {"webhook-signature", bogus}})) == "");
    CHECK(sw(with(webhook_set, svix_headers(bogus))) == "no svix-signature matches the body");
    // ...and an incomplete one is ignored: the webhook-* set is read whole.
    CHECK(sw(with(webhook_set, {{"svix-id", "msg_other"}, {"svix-signature", bogus}})) == "");
    // Never one header from each: a valid svix-id and svix-timestamp with the
    // signature in webhook-signature is webhook-* without its id.
    CHECK(sw({{"svix-id", kSvixId}, {"svix-timestamp", kSvixTimestamp},
              {"webhook-signature", kSvixSignature}}) == "webhook-id header is missing");
    CHECK(sw({{"webhook-id", kSvixId}, {"webhook-timestamp", kSvixTimestamp},
              {"svix-signature", kSvixSignature}}) == "webhook-signature header is missing");
    // An empty svix-* header leaves the set incomplete, as in the svix libraries.
    CHECK(sw(with(webhook_set, svix_headers(""))) == "");
    CHECK(sw({}) == "webhook-id header is missing");
}

TEST_CASE("stripe: the openssl-made vector passes; every other case is refused") {
    const auto stripe = [](const std::string &header, const std::string &body, std::int64_t now,
                           const std::string &secret = kStripeSecret) {
        return verdict(Scheme::stripe, secret, {{"Stripe-Signature", header}}, body, now);
    };
    const std::string t = "t=1700000000";
    const std::string good = t + ",v1=" + kStripeHex;
    const std::string other = "v1=" + std::string(64, '0');
    CHECK(stripe(good, kStripeBody, kStripeTime) == "");
    CHECK(stripe(t + "," + other + ",v1=" + kStripeHex + ",v0=ab", kStripeBody, kStripeTime) ==
          "");
    const std::string mismatch = "no v1 signature in Stripe-Signature matches the body";
    CHECK(stripe(t + "," + other, kStripeBody, kStripeTime) == mismatch);
    CHECK(stripe(good, kStripeBody + " ", kStripeTime) == mismatch);
    CHECK(stripe(good, kStripeBody, kStripeTime, "whsec_wrong") == mismatch);
    CHECK(stripe("t=1700000001,v1=" + kStripeHex, kStripeBody, kStripeTime) == mismatch);
    CHECK(stripe(good, kStripeBody, kStripeTime + 301).find("Stripe-Signature timestamp is too old") ==
          0);
    CHECK(stripe(good, kStripeBody, kStripeTime - 301)
              .find("Stripe-Signature timestamp is in the future") == 0);
    const std::string malformed =
        "Stripe-Signature is malformed: expected t=<Unix seconds>,v1=<hex>";
    for (const std::string &bad : {std::string("v1=") + kStripeHex, t, t + ",v0=" + kStripeHex,
                                  "t=abc,v1=" + kStripeHex, std::string()}) {
        CAPTURE(bad);
        CHECK(stripe(bad, kStripeBody, kStripeTime) == malformed);
    }
    CHECK(verdict(Scheme::stripe, kStripeSecret, {}, kStripeBody, kStripeTime) ==
          "Stripe-Signature header is missing");
}

TEST_CASE("token: Authorization: Bearer <secret> exactly") {
    const auto token = [](Headers headers) {
        return verdict(Scheme::token, "s3cr3t-token", headers, "{}", 0);
    };
    CHECK(token({{"Authorization", "Bearer s3cr3t-token"}}) == "");
    CHECK(token({{"Authorization", "Bearer s3cr3t-tokeN"}}) == "the bearer token is wrong");
    CHECK(token({{"Authorization", "Bearer s3cr3t-token "}}) == "the bearer token is wrong");
    CHECK(token({{"Authorization", "Bearer s3cr3t"}}) == "the bearer token is wrong");
    for (const char *bad : {"s3cr3t-token", "Basic s3cr3t-token", "Bearer ", "bearer s3cr3t-token"}) {
        CAPTURE(bad);
        CHECK(token({{"Authorization", bad}}) ==
              "Authorization is malformed: expected Bearer <token>");
    }
    CHECK(token({}) == "Authorization header is missing");
}

TEST_CASE("failure messages never hold the secret or the expected signature") {
    const std::string expected_b64 = kSwSignature.substr(3);
    for (const std::string &message :
         {verdict(Scheme::github, kGithubSecret, {{"X-Hub-Signature-256", "sha256=" + std::string(64, '0')}},
                  kGithubBody, 0),
          verdict(Scheme::standard_webhooks, kSwSecret, sw_headers("v1,AAAA"), kSwBody, kSwTime),
          verdict(Scheme::token, "s3cr3t-token", {{"Authorization", "Bearer nope"}}, "", 0)}) {
        CAPTURE(message);
        CHECK(!message.empty());
        CHECK(message.find(kGithubSecret) == std::string::npos);
        CHECK(message.find(kGithubSignature.substr(7)) == std::string::npos);
        CHECK(message.find(expected_b64) == std::string::npos);
        CHECK(message.find("MfKQ9r8G") == std::string::npos);
        CHECK(message.find("s3cr3t") == std::string::npos);
    }
}

TEST_CASE("signing keys: a scheme without a secret, or a bad whsec_ key, is refused") {
    std::string error;
    CHECK_FALSE(signing_key(Scheme::github, "", error));
    CHECK(error == "auth github needs a secret: set the secret widget (or secret = env:NAME)");
    CHECK_FALSE(signing_key(Scheme::standard_webhooks, "whsec_not base64!", error));
    CHECK(error == "auth standard-webhooks needs a secret of the form whsec_<base64 key>");
    CHECK(error.find("not base64") == std::string::npos);
    CHECK(*signing_key(Scheme::stripe, "whsec_abc", error) == "whsec_abc");  // the whole string
}
