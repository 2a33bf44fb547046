// HTTPS on a webhook port, with real handshakes: the certificates are made
// by the test (tls_files.hpp), the client is OpenSSL's (tls_client.hpp).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <openssl/ssl.h>
#include <sys/resource.h>

#include "fake_host.hpp"
#include "net_helpers.hpp"
#include "test_node.hpp"
#include "tls_client.hpp"
#include "tls_files.hpp"

using namespace nb::test;
using namespace std::chrono_literals;

namespace {

const std::string kOk = "{\"status\":\"ok\"}";

bool ends_with(const std::string &text, const std::string &end) {
    return text.size() >= end.size() && text.compare(text.size() - end.size(), end.size(), end) == 0;
}

// A node serving HTTPS on a free port with a server pair of `files`.
struct Https {
    Https(const TlsFiles &files, const std::vector<std::pair<std::string, std::string>> &more = {},
          const std::string &cert = "server.pem", const std::string &key = "server.key")
        : port(free_port()), node(host, "hook", port) {
        REQUIRE(node.set("tls_cert", files.path(cert)) == NB_OK);
        REQUIRE(node.set("tls_key", files.path(key)) == NB_OK);
        for (const auto &[name, value] : more) REQUIRE(node.set(name.c_str(), value) == NB_OK);
        REQUIRE_MESSAGE(node.start() == NB_OK, node.error());
    }
    ~Https() { node.stop(); }

    FakeHost host;
    std::uint16_t port;
    TestNode node;
};

// Made once: the openssl command takes a while. The reload test makes its own.
const TlsFiles &shared_files() {
    static const TlsFiles files;
    return files;
}

TlsClientOptions trusting(const TlsFiles &files) {
    TlsClientOptions options;
    options.ca = files.path("ca.pem");
    return options;
}

// A node on live.pem/live.key, checking them every second; with
// `mutual`, clients need a certificate of the files' CA.
struct Renewable {
    explicit Renewable(bool mutual = false) {
        files.make_server_pair("localhost", "live.pem", "live.key");
        std::vector<std::pair<std::string, std::string>> widgets{{"tls_reload_s", "1"}};
        if (mutual) widgets.emplace_back("tls_client_ca", files.path("ca.pem"));
        https = std::make_unique<Https>(files, widgets, "live.pem", "live.key");
    }

    // A renewal as certbot makes one: new files renamed over the old.
    void renew(const std::string &cert, const std::string &key) const {
        std::rename(files.path(key).c_str(), files.path("live.key").c_str());
        std::rename(files.path(cert).c_str(), files.path("live.pem").c_str());
    }

    // Whether new connections of `client` see the certificate `cn` within 10 s.
    bool serves(const std::string &cn, const TlsClientOptions &client) const {
        for (int i = 0; i < 200; ++i) {
            if (tls_exchange(https->port, post_request("probe"), client).subject_cn == cn) {
                return true;
            }
            std::this_thread::sleep_for(50ms);
        }
        return false;
    }

    TlsFiles files;
    std::unique_ptr<Https> https;
};

}  // namespace

TEST_CASE("a POST over TLS 1.3 is answered 200 and runs once; ALPN says http/1.1") {
    const TlsFiles &files = shared_files();
    Https https(files);
    const TlsReply reply = tls_exchange(https.port, post_request("{\"a\":1}"), trusting(files));
    REQUIRE(reply.handshake);
    CHECK(reply.version == TLS1_3_VERSION);
    CHECK(reply.alpn == "http/1.1");
    CHECK(raw_status(reply.answer) == 200);
    CHECK(ends_with(reply.answer, kOk));
    REQUIRE(https.host.trigger_count() == 1);
    CHECK(https.host.triggers()[0].body == "{\"a\":1}");
    nb_listen_address_t address{};
    REQUIRE(https.node.impl().listen_address(address));
    CHECK(std::string(address.scheme) == "https");
}

TEST_CASE("TLS 1.2 with an intermediate cipher is served; TLS 1.1 is refused by the server") {
    const TlsFiles &files = shared_files();
    Https https(files);
    TlsClientOptions v12 = trusting(files);
    v12.max_version = TLS1_2_VERSION;
    v12.ciphers = "ECDHE-ECDSA-CHACHA20-POLY1305";
    const TlsReply served = tls_exchange(https.port, post_request("x"), v12);
    REQUIRE(served.handshake);
    CHECK(served.version == TLS1_2_VERSION);
    CHECK(raw_status(served.answer) == 200);

    TlsClientOptions v11 = trusting(files);
    v11.min_version = TLS1_1_VERSION;
    v11.max_version = TLS1_1_VERSION;
    v11.ciphers = "ALL:@SECLEVEL=0";  // the client itself would allow it
    CHECK_FALSE(tls_exchange(https.port, post_request("x"), v11).handshake);
    CHECK(https.host.trigger_count() == 1);
}

TEST_CASE("a ticket from one connection resumes the next, over TLS 1.3 and TLS 1.2") {
    const TlsFiles &files = shared_files();
    Https https(files);
    for (const int version : {TLS1_3_VERSION, TLS1_2_VERSION}) {
        CAPTURE(version);
        TlsClientOptions options = trusting(files);
        options.max_version = version;
        const TlsReply first = tls_exchange(https.port, post_request("first"), options);
        REQUIRE(first.session);
        CHECK(SSL_SESSION_is_resumable(first.session.get()) == 1);
        CHECK_FALSE(first.resumed);
        options.resume = first.session;
        const TlsReply again = tls_exchange(https.port, post_request("again"), options);
        CHECK(again.resumed);
        CHECK(again.version == version);
        CHECK(raw_status(again.answer) == 200);
    }
    CHECK(https.host.trigger_count() == 4);
}

TEST_CASE("mutual TLS: a client certificate the CA signed is served, none or a foreign one is not") {
    const TlsFiles &files = shared_files();
    Https https(files, {{"tls_client_ca", files.path("ca.pem")}});
    TlsClientOptions good = trusting(files);
    good.cert = files.path("client.pem");
    good.key = files.path("client.key");
    CHECK(raw_status(tls_exchange(https.port, post_request("x"), good).answer) == 200);

    TlsClientOptions foreign = trusting(files);
    foreign.cert = files.path("foreign.pem");
    foreign.key = files.path("foreign.key");
    // TLS 1.3 clients finish their handshake before the server checks them:
    // the refusal shows as no answer.
    CHECK(tls_exchange(https.port, post_request("x"), foreign).answer.empty());
    CHECK(tls_exchange(https.port, post_request("x"), trusting(files)).answer.empty());
    CHECK(https.host.trigger_count() == 1);
}

TEST_CASE("files that cannot serve refuse start, naming the node and the file") {
    const TlsFiles &files = shared_files();
    FakeHost host;
    const auto port = free_port();
    struct Case {
        std::string cert, key;
        nb_status_t status;
        std::string error;
    };
    const Case cases[] = {
        {files.path("server.pem"), files.path("other.key"), NB_ERR_INVALID,
         "node \"hook\": key file \"" + files.path("other.key") +
             "\" does not match certificate file \"" + files.path("server.pem") + "\""},
        {files.path("missing.pem"), files.path("server.key"), NB_ERR_IO,
         "node \"hook\": certificate file \"" + files.path("missing.pem") +
             "\" cannot be read: No such file or directory"},
        {files.path("not-pem.txt"), files.path("server.key"), NB_ERR_INVALID,
         "node \"hook\": certificate file \"" + files.path("not-pem.txt") +
             "\" holds no PEM certificate"},
        {files.path("server.pem"), files.path("not-pem.txt"), NB_ERR_INVALID,
         "node \"hook\": key file \"" + files.path("not-pem.txt") +
             "\" holds no PEM private key (or one encrypted with a pass phrase)"},
        {files.path("server.pem"), "", NB_ERR_INVALID,
         "node \"hook\": tls_cert needs tls_key, the file of its private key"},
    };
    for (const Case &c : cases) {
        TestNode node(host, "hook", port);
        REQUIRE(node.set("tls_cert", c.cert) == NB_OK);
        REQUIRE(node.set("tls_key", c.key) == NB_OK);
        CHECK(node.start() == c.status);
        CHECK(node.error() == c.error);
        CHECK_FALSE(can_connect(port));
    }
}

TEST_CASE("an expired or expiring certificate starts with one warning line") {
    const TlsFiles &files = shared_files();
    for (const auto &[cert, key, says] :
         {std::tuple{"expired.pem", "server.key", "\" expired on "},
          std::tuple{"expiring.pem", "expiring.key", "\" expires on "}}) {
        FakeHost host;
        TestNode node(host, "hook", free_port());
        REQUIRE(node.set("tls_cert", files.path(cert)) == NB_OK);
        REQUIRE(node.set("tls_key", files.path(key)) == NB_OK);
        REQUIRE(node.start() == NB_OK);
        const auto logs = host.logs();
        REQUIRE(logs.size() == 1);
        CHECK(logs[0].find("certificate file \"" + files.path(cert) + says) != std::string::npos);
        CHECK(ends_with(logs[0], std::string(cert) == "expiring.pem" ? " UTC, within 7 days"
                                                                     : " UTC"));
        node.stop();
    }
}

TEST_CASE("plain HTTP on an HTTPS port gets 400 in plain text; garbage is closed; both harmless") {
    const TlsFiles &files = shared_files();
    Https https(files);
    const std::string answer = raw_exchange(https.port, post_request("x"));
    CHECK(raw_status(answer) == 400);
    CHECK(is_closing_error(answer));
    CHECK(ends_with(answer, "{\"status\":\"error\",\"error\":\"this port speaks HTTPS only: the "
                            "plain HTTP request was sent to an HTTPS port\"}"));
    const std::string garbage = raw_exchange(https.port, std::string("\x01\x02\x03garbage\r\n\r\n", 14));
    CHECK(garbage.find("HTTP/") == std::string::npos);
    CHECK(raw_status(tls_exchange(https.port, post_request("x"), trusting(files)).answer) == 200);
    CHECK(https.host.trigger_count() == 1);
}

TEST_CASE("nodes sharing a port must agree on its TLS widgets") {
    const TlsFiles &files = shared_files();
    Https https(files);
    TestNode plain(https.host, "plain", https.port, "/other");
    CHECK(plain.start() == NB_ERR_INVALID);
    CHECK(plain.error() == "node \"plain\": port " + std::to_string(https.port) +
                               " runs with tls_cert \"" + files.path("server.pem") +
                               "\" for node \"hook\"; node \"plain\" asks for tls_cert \"\": "
                               "nodes sharing a port must have the same tls_cert");
}

TEST_CASE("a renewed pair is served to new connections under traffic; a bad one keeps the old") {
    Renewable live;
    const TlsFiles &files = live.files;
    const auto port = live.https->port;
    const auto before_renewal = tls_exchange(port, post_request("ticket"), trusting(files)).session;
    REQUIRE(before_renewal);

    std::atomic<bool> done{false};
    std::atomic<int> sent{0}, failed{0};
    std::thread traffic([&] {
        while (!done) {
            const auto reply = tls_exchange(port, post_request("x"), trusting(files));
            ++sent;
            if (raw_status(reply.answer) != 200) ++failed;
        }
    });
    live.renew("renewed.pem", "renewed.key");
    CHECK(live.serves("renewed", trusting(files)));
    // A ticket issued before the renewal still resumes after it.
    TlsClientOptions resuming = trusting(files);
    resuming.resume = before_renewal;
    const TlsReply resumed = tls_exchange(port, post_request("resumed"), resuming);
    CHECK(resumed.resumed);
    CHECK(raw_status(resumed.answer) == 200);
    // A certificate with a key it does not match: the renewed pair stays.
    std::rename(files.path("other.key").c_str(), files.path("live.key").c_str());
    const std::string kept = "port " + std::to_string(port) +
                             ": kept the previous certificate: key file \"" +
                             files.path("live.key") + "\" does not match certificate file \"" +
                             files.path("live.pem") + "\"";
    bool logged = false;
    for (int i = 0; i < 200 && !logged; ++i) {
        std::this_thread::sleep_for(50ms);
        for (const auto &line : live.https->host.logs()) {
            logged = logged || line.find(kept) != std::string::npos;
        }
    }
    CHECK(logged);
    CHECK(tls_exchange(port, post_request("probe"), trusting(files)).subject_cn == "renewed");
    done = true;
    traffic.join();
    CHECK(sent > 0);
    CHECK(failed == 0);
}

TEST_CASE("with mutual TLS a renewal ends earlier tickets: client certificates are checked again") {
    Renewable live(true);
    const auto port = live.https->port;
    TlsClientOptions client = trusting(live.files);
    client.cert = live.files.path("client.pem");
    client.key = live.files.path("client.key");
    const TlsReply first = tls_exchange(port, post_request("first"), client);
    REQUIRE(first.session);
    client.resume = first.session;
    CHECK(tls_exchange(port, post_request("resumed"), client).resumed);

    live.renew("renewed.pem", "renewed.key");
    // A resumed session shows the certificate of its first handshake: the
    // renewed one shows only once the ticket stopped resuming.
    REQUIRE(live.serves("renewed", client));
    const TlsReply after = tls_exchange(port, post_request("after"), client);
    CHECK_FALSE(after.resumed);
    CHECK(raw_status(after.answer) == 200);
}

TEST_CASE("1000 stalled handshakes cost memory only: a POST still gets its 200") {
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < 4096) {
        limit.rlim_cur = std::min<rlim_t>(4096, limit.rlim_max);
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    REQUIRE(limit.rlim_cur >= 2100);
    const TlsFiles &files = shared_files();
    Https https(files, {{"read_timeout_s", "60"}});
    std::vector<Poco::Net::StreamSocket> stalled;
    for (int i = 0; i < 1000; ++i) {
        stalled.push_back(connect_raw(https.port));
        // Half a record header: the handshake waits for the rest.
        if (i % 2) send_all(stalled.back(), std::string("\x16\x03", 2));
    }
    const TlsReply reply = tls_exchange(https.port, post_request("x"), trusting(files));
    CHECK(raw_status(reply.answer) == 200);
    CHECK(https.host.trigger_count() == 1);
}
