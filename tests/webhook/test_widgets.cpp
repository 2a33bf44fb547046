#include <doctest/doctest.h>

#include <string>

#include "fake_host.hpp"
#include "node/webhook_node.hpp"
#include "widgets/settings.hpp"

using nb::webhook::Settings;

namespace {

// Sets `name` and returns the error message ("" on success).
std::string set_error(Settings &s, const char *name, const char *value) {
    std::string error;
    const nb_status_t status = s.set(name, value, error);
    return status == NB_OK ? "" : error;
}

// What get_widget shows for `name`, "(none)" for nullptr.
std::string shown(const Settings &s, const char *name) {
    const char *text = s.get(name);
    return text ? text : "(none)";
}

constexpr const char *kAllowedMethods = "POST, PUT, PATCH, DELETE, GET";

}  // namespace

TEST_CASE("widgets have the seed's defaults") {
    const Settings s;
    CHECK(s.port() == 8181);
    CHECK(s.path() == "/webhook");
    CHECK(s.max_body_bytes() == 1048576);
    CHECK(std::string(s.get("port")) == "8181");
    CHECK(std::string(s.get("path")) == "/webhook");
    CHECK(std::string(s.get("max_body_bytes")) == "1048576");
    CHECK(s.read_timeout_s() == 10);
    CHECK(std::string(s.get("read_timeout_s")) == "10");
    CHECK(s.get("nope") == nullptr);
}

TEST_CASE("port accepts 1024-65535 and nothing else") {
    Settings s;
    CHECK(set_error(s, "port", "1024") == "");
    CHECK(s.port() == 1024);
    CHECK(set_error(s, "port", "65535") == "");
    CHECK(s.port() == 65535);
    for (const char *bad : {"1023", "65536", "0", "-1", "80", "abc", "", "8181.5", " 8181",
                            "8181 ", "0x1F90", "99999999999999999999"}) {
        CAPTURE(bad);
        const std::string error = set_error(s, "port", bad);
        CHECK(error.find("port must be an integer in 1024\u201365535") == 0);
        CHECK(s.port() == 65535);  // the previous value stays
        CHECK(std::string(s.get("port")) == "65535");
    }
}

TEST_CASE("path must start with / and hold no whitespace, control, ? or #") {
    Settings s;
    CHECK(set_error(s, "path", "/api/callback") == "");
    CHECK(s.path() == "/api/callback");
    CHECK(set_error(s, "path", "/") == "");
    CHECK(set_error(s, "path", "/caf\xC3\xA9") == "");
    for (const char *bad : {"", "webhook", "/a b", "/a\tb", "/a?x=1", "/a#f", "/a\x7f",
                            "/\xC3", " /webhook"}) {
        CAPTURE(bad);
        const std::string error = set_error(s, "path", bad);
        CHECK(error.find("path must start with \"/\"") == 0);
        CHECK(s.path() == "/caf\xC3\xA9");
    }
}

TEST_CASE("max_body_bytes accepts 0 to 1 GiB") {
    Settings s;
    CHECK(set_error(s, "max_body_bytes", "0") == "");
    CHECK(s.max_body_bytes() == 0);
    CHECK(set_error(s, "max_body_bytes", "1073741824") == "");
    CHECK(s.max_body_bytes() == 1073741824u);
    for (const char *bad : {"-1", "1073741825", "1e6", "lots"}) {
        CAPTURE(bad);
        CHECK(set_error(s, "max_body_bytes", bad).find(
                  "max_body_bytes must be an integer in 0\u20131073741824") == 0);
        CHECK(s.max_body_bytes() == 1073741824u);
    }
}

TEST_CASE("read_timeout_s accepts 1 to 3600 seconds") {
    Settings s;
    CHECK(set_error(s, "read_timeout_s", "1") == "");
    CHECK(s.read_timeout_s() == 1);
    CHECK(set_error(s, "read_timeout_s", "3600") == "");
    CHECK(std::string(s.get("read_timeout_s")) == "3600");
    for (const char *bad : {"0", "3601", "-5", "2.5", "soon"}) {
        CAPTURE(bad);
        CHECK(set_error(s, "read_timeout_s", bad).find(
                  "read_timeout_s must be an integer in 1\u20133600") == 0);
        CHECK(s.read_timeout_s() == 3600);
    }
}

TEST_CASE("respond is immediately or when_finished; response_timeout_s 1 to 300 seconds") {
    Settings s;
    CHECK(s.respond() == nb::webhook::Respond::immediately);
    CHECK(shown(s, "respond") == "immediately");
    CHECK(s.response_timeout_s() == 30);
    CHECK(shown(s, "response_timeout_s") == "30");
    CHECK(set_error(s, "respond", "when_finished") == "");
    CHECK(s.respond() == nb::webhook::Respond::when_finished);
    CHECK(shown(s, "respond") == "when_finished");
    for (const char *bad : {"", "later", "Immediately", "when_finished "}) {
        CAPTURE(bad);
        CHECK(set_error(s, "respond", bad).find("respond must be immediately or when_finished") == 0);
        CHECK(s.respond() == nb::webhook::Respond::when_finished);
    }
    CHECK(set_error(s, "response_timeout_s", "1") == "");
    CHECK(set_error(s, "response_timeout_s", "300") == "");
    for (const char *bad : {"0", "301", "-1", "1.5"}) {
        CAPTURE(bad);
        CHECK(set_error(s, "response_timeout_s", bad).find(
                  "response_timeout_s must be an integer in 1\u2013300") == 0);
        CHECK(s.response_timeout_s() == 300);
    }
}

TEST_CASE("unknown widget and missing value are refused through the C vtable") {
    nb::test::FakeHost host;
    nb::webhook::WebhookNode node("hook", host.host());
    const nb_node_t *n = node.abi();
    CHECK(n->set_widget(n, "colour", "red") == NB_ERR_UNKNOWN);
    CHECK(std::string(n->last_error(n)).find("unknown widget \"colour\"") != std::string::npos);
    CHECK(n->set_widget(n, "port", nullptr) == NB_ERR_INVALID);
    CHECK(n->set_widget(n, "port", "70000") == NB_ERR_INVALID);
    const std::string error = n->last_error(n);
    CHECK(error.find("\"hook\"") != std::string::npos);  // names the node
    CHECK(error.find("port must be an integer in 1024\u201365535") != std::string::npos);
    CHECK(std::string(n->get_widget(n, "port")) == "8181");
    CHECK(n->set_widget(n, "port", "9000") == NB_OK);
    CHECK(std::string(n->get_widget(n, "port")) == "9000");
    CHECK(n->get_widget(n, "colour") == nullptr);
}

TEST_CASE("methods defaults to POST and reads back in the order POST, PUT, PATCH, DELETE, GET") {
    Settings s;
    CHECK(shown(s, "methods") == "POST");
    const struct {
        const char *given;
        const char *canonical;
    } cases[] = {
        {"GET", "GET"},
        {"POST, GET", "POST, GET"},
        {"GET,POST", "POST, GET"},
        {"GET , POST", "POST, GET"},
        {" DELETE,PATCH ,  PUT,GET,POST  ", "POST, PUT, PATCH, DELETE, GET"},
        {"PATCH", "PATCH"},
        {"POST", "POST"},
    };
    for (const auto &c : cases) {
        CAPTURE(c.given);
        CHECK(set_error(s, "methods", c.given) == "");
        CHECK(shown(s, "methods") == c.canonical);
    }
}

TEST_CASE("methods refuses unknown, lower-case, empty and repeated entries; the value stays") {
    Settings s;
    REQUIRE(set_error(s, "methods", "PUT,GET") == "");
    const auto unknown = [](const char *quoted) {
        return std::string("methods entry ") + quoted + " is not one of " + kAllowedMethods +
               " (method names are case-sensitive)";
    };
    const auto empty_entry = [](const char *quoted) {
        return std::string("methods has an empty entry in ") + quoted + "; list one or more of " +
               kAllowedMethods + ", separated by commas";
    };
    const auto twice = [](const char *quoted) {
        return std::string("methods entry ") + quoted + " is given twice; list each of " +
               kAllowedMethods + " at most once";
    };
    const std::string none = std::string("methods must list one or more of ") + kAllowedMethods +
                             ", separated by commas";
    const struct {
        const char *given;
        std::string error;
    } cases[] = {
        {"HEAD", unknown(R"("HEAD")")},
        {"OPTIONS", unknown(R"("OPTIONS")")},
        {"CONNECT", unknown(R"("CONNECT")")},
        {"post", unknown(R"("post")")},
        {"POST, Get", unknown(R"("Get")")},
        {"POST GET", unknown(R"("POST GET")")},
        {"POST;GET", unknown(R"("POST;GET")")},
        {"\tPOST", unknown(R"("\tPOST")")},
        {"POST, \xC3", unknown(R"("?")")},
        {"", none},
        {"   ", none},
        {",", empty_entry(R"(",")")},
        {"POST,", empty_entry(R"("POST,")")},
        {",GET", empty_entry(R"(",GET")")},
        {"POST,,GET", empty_entry(R"("POST,,GET")")},
        {"POST, ,GET", empty_entry(R"("POST, ,GET")")},
        {"POST, POST", twice(R"("POST")")},
        {"GET,POST, GET", twice(R"("GET")")},
    };
    for (const auto &c : cases) {
        CAPTURE(c.given);
        CHECK(set_error(s, "methods", c.given) == c.error);
        CHECK(shown(s, "methods") == "PUT, GET");  // the previous value stays
    }
}

TEST_CASE("methods through the C vtable: a refusal names the node and keeps the value") {
    nb::test::FakeHost host;
    nb::webhook::WebhookNode node("hook", host.host());
    const nb_node_t *n = node.abi();
    REQUIRE(n->get_widget(n, "methods") != nullptr);
    CHECK(std::string(n->get_widget(n, "methods")) == "POST");
    CHECK(n->set_widget(n, "methods", "GET, HEAD") == NB_ERR_INVALID);
    const std::string error = n->last_error(n);
    CHECK(error.find("\"hook\"") != std::string::npos);
    CHECK(error.find(std::string(R"(methods entry "HEAD" is not one of )") + kAllowedMethods) !=
          std::string::npos);
    CHECK(std::string(n->get_widget(n, "methods")) == "POST");
    CHECK(n->set_widget(n, "methods", nullptr) == NB_ERR_INVALID);
    CHECK(std::string(n->last_error(n)).find("methods needs a value") != std::string::npos);
    CHECK(n->set_widget(n, "methods", "GET,DELETE") == NB_OK);
    CHECK(std::string(n->get_widget(n, "methods")) == "DELETE, GET");
}

TEST_CASE("the TLS widgets: plain HTTP by default, tls_key may be env:NAME, tls_reload_s 0-86400") {
    Settings s;
    CHECK_FALSE(s.tls().enabled());
    for (const char *name : {"tls_cert", "tls_key", "tls_client_ca"}) CHECK(shown(s, name) == "");
    CHECK(shown(s, "tls_reload_s") == "60");
    CHECK(s.tls().incomplete() == "");

    REQUIRE(setenv("NB_TLS_TEST_KEY", "/etc/keys/privkey.pem", 1) == 0);
    CHECK(set_error(s, "tls_key", "env:NB_TLS_TEST_KEY") == "");
    CHECK(s.tls().files().key == "/etc/keys/privkey.pem");
    CHECK(shown(s, "tls_key") == "env:NB_TLS_TEST_KEY");
    REQUIRE(unsetenv("NB_TLS_TEST_UNSET") == 0);
    CHECK(set_error(s, "tls_key", "env:NB_TLS_TEST_UNSET") ==
          "tls_key: environment variable NB_TLS_TEST_UNSET is not set");
    CHECK(s.tls().incomplete() ==
          "tls_key and tls_client_ca need tls_cert, the certificate the port serves");
    CHECK(set_error(s, "tls_cert", "/etc/keys/fullchain.pem") == "");
    CHECK(s.tls().enabled());
    CHECK(s.tls().incomplete() == "");

    CHECK(set_error(s, "tls_reload_s", "0") == "");
    CHECK(s.tls().reload_s() == 0);
    CHECK(set_error(s, "tls_reload_s", "86401") ==
          "tls_reload_s must be an integer in 0\u201386400, got \"86401\"");
    CHECK(shown(s, "tls_reload_s") == "0");
}
