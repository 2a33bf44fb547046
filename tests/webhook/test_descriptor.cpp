#include <doctest/doctest.h>

#include <string>

#include "descriptor/webhook_descriptor.hpp"

TEST_CASE("the descriptor is the seed's Webhook Node") {
    const nb_node_descriptor_t &d = nb::webhook::webhook_descriptor();
    CHECK(nb_version_is_compatible(d.abi));
    CHECK(std::string(d.id) == "events.webhook");
    CHECK(std::string(d.title) == "Webhook Node");
    CHECK(std::string(d.category) == "Events");
    CHECK(std::string(d.version) == "1.0.0");
    CHECK(std::string(d.description) ==
          "HTTP server event node that triggers workflows from external POST requests");
    CHECK(d.flags == NB_NODE_EVENT_SOURCE);
    const char *tags[] = {"events", "webhook", "http", "server", "external", "integration", "api"};
    REQUIRE(d.tag_count == 7);
    for (unsigned i = 0; i < 7; ++i) CHECK(std::string(d.tags[i]) == tags[i]);
}

TEST_CASE("no inputs; outputs received_data, headers, query, all TEXT") {
    const nb_node_descriptor_t &d = nb::webhook::webhook_descriptor();
    CHECK(d.input_count == 0);
    REQUIRE(d.output_count == 3);
    const char *names[] = {"received_data", "headers", "query"};
    for (unsigned i = 0; i < 3; ++i) {
        CHECK(std::string(d.outputs[i].name) == names[i]);
        CHECK(std::string(d.outputs[i].type) == NB_SOCKET_TEXT);
        CHECK(std::string(d.outputs[i].description).size() > 10);
    }
}

TEST_CASE("widgets port, path, max_body_bytes, read_timeout_s with defaults and bounds") {
    const nb_node_descriptor_t &d = nb::webhook::webhook_descriptor();
    REQUIRE(d.widget_count >= 4);
    const nb_widget_desc_t &port = d.widgets[0];
    CHECK(std::string(port.name) == "port");
    CHECK(port.kind == NB_WIDGET_NUMBER);
    CHECK(std::string(port.default_value) == "8181");
    CHECK(port.min == 1024);
    CHECK(port.max == 65535);
    const nb_widget_desc_t &path = d.widgets[1];
    CHECK(std::string(path.name) == "path");
    CHECK(path.kind == NB_WIDGET_TEXT);
    CHECK(std::string(path.default_value) == "/webhook");
    const nb_widget_desc_t &max_body = d.widgets[2];
    CHECK(std::string(max_body.name) == "max_body_bytes");
    CHECK(max_body.kind == NB_WIDGET_NUMBER);
    CHECK(std::string(max_body.default_value) == "1048576");
    CHECK(max_body.min == 0);
    CHECK(max_body.max == 1073741824);
    const nb_widget_desc_t &timeout = d.widgets[3];
    CHECK(std::string(timeout.name) == "read_timeout_s");
    CHECK(timeout.kind == NB_WIDGET_NUMBER);
    CHECK(std::string(timeout.default_value) == "10");
    CHECK(timeout.min == 1);
    CHECK(timeout.max == 3600);
}

TEST_CASE("verified-sender widgets default to the seed's open behaviour") {
    const nb_node_descriptor_t &d = nb::webhook::webhook_descriptor();
    REQUIRE(d.widget_count >= 10);
    const struct {
        const char *name;
        nb_widget_kind_t kind;
        const char *default_value;
    } expected[] = {
        {"auth", NB_WIDGET_CHOICE, "none"},      {"secret", NB_WIDGET_TEXT, ""},
        {"tolerance_s", NB_WIDGET_NUMBER, "300"}, {"dedupe_window_s", NB_WIDGET_NUMBER, "0"},
        {"allow_from", NB_WIDGET_TEXT, ""},      {"bind", NB_WIDGET_TEXT, ""},
    };
    for (unsigned i = 0; i < 6; ++i) {
        const nb_widget_desc_t &w = d.widgets[4 + i];
        CAPTURE(expected[i].name);
        CHECK(std::string(w.name) == expected[i].name);
        CHECK(w.kind == expected[i].kind);
        CHECK(std::string(w.default_value) == expected[i].default_value);
    }
    const nb_widget_desc_t &auth = d.widgets[4];
    const char *schemes[] = {"none", "github", "standard-webhooks", "stripe", "token"};
    REQUIRE(auth.choice_count == 5);
    for (unsigned i = 0; i < 5; ++i) CHECK(std::string(auth.choices[i]) == schemes[i]);
}

TEST_CASE("methods: TEXT, default POST, its description listing the methods allowed") {
    const nb_node_descriptor_t &d = nb::webhook::webhook_descriptor();
    REQUIRE(d.widget_count == 18);
    const nb_widget_desc_t &methods = d.widgets[10];
    CHECK(std::string(methods.name) == "methods");
    CHECK(methods.kind == NB_WIDGET_TEXT);
    CHECK(std::string(methods.default_value) == "POST");
    const std::string description = methods.description;
    for (const char *method : {"POST", "PUT", "PATCH", "DELETE", "GET", "405"}) {
        CAPTURE(method);
        CHECK(description.find(method) != std::string::npos);
    }
}

TEST_CASE("respond and response_timeout_s: the seed's answer by default, 1-300 s") {
    const nb_node_descriptor_t &d = nb::webhook::webhook_descriptor();
    REQUIRE(d.widget_count == 18);
    const nb_widget_desc_t &respond = d.widgets[11];
    CHECK(std::string(respond.name) == "respond");
    CHECK(respond.kind == NB_WIDGET_CHOICE);
    CHECK(std::string(respond.default_value) == "immediately");
    REQUIRE(respond.choice_count == 2);
    CHECK(std::string(respond.choices[0]) == "immediately");
    CHECK(std::string(respond.choices[1]) == "when_finished");
    const nb_widget_desc_t &timeout = d.widgets[12];
    CHECK(std::string(timeout.name) == "response_timeout_s");
    CHECK(timeout.kind == NB_WIDGET_NUMBER);
    CHECK(std::string(timeout.default_value) == "30");
    CHECK(timeout.min == 1);
    CHECK(timeout.max == 300);
    CHECK(std::string(timeout.description).find("504") != std::string::npos);
}

TEST_CASE("trusted_proxies, before the TLS widgets: TEXT, default empty (X-Forwarded-For ignored)") {
    const nb_node_descriptor_t &d = nb::webhook::webhook_descriptor();
    REQUIRE(d.widget_count == 18);
    const nb_widget_desc_t &trusted = d.widgets[13];
    CHECK(std::string(trusted.name) == "trusted_proxies");
    CHECK(trusted.kind == NB_WIDGET_TEXT);
    CHECK(std::string(trusted.default_value) == "");
    CHECK(std::string(trusted.description).find("X-Forwarded-For") != std::string::npos);
}

TEST_CASE("the TLS widgets, last: three files, empty by default (plain HTTP), and tls_reload_s") {
    const nb_node_descriptor_t &d = nb::webhook::webhook_descriptor();
    REQUIRE(d.widget_count == 18);
    const char *names[] = {"tls_cert", "tls_key", "tls_client_ca"};
    for (int i = 0; i < 3; ++i) {
        const nb_widget_desc_t &w = d.widgets[14 + i];
        CHECK(std::string(w.name) == names[i]);
        CHECK(w.kind == NB_WIDGET_TEXT);
        CHECK(std::string(w.default_value) == "");
    }
    const nb_widget_desc_t &reload = d.widgets[17];
    CHECK(std::string(reload.name) == "tls_reload_s");
    CHECK(reload.kind == NB_WIDGET_NUMBER);
    CHECK(std::string(reload.default_value) == "60");
    CHECK(reload.min == 0);
    CHECK(reload.max == 86400);
}
