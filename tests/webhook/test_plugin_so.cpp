// The built nb_webhook.so as a host sees it: loaded with dlopen from
// NB_PLUGIN_PATH, talking only through nb_plugin_entry.
#include <doctest/doctest.h>

#include <dlfcn.h>

#include <cstdio>
#include <memory>
#include <string>

#include <nb/plugin.h>
#include <nb/metrics.h>

#include "fake_host.hpp"
#include "metrics_sink.hpp"
#include "net_helpers.hpp"
#include "plugin_path.hpp"
#include "v1_0_host.h"

using namespace nb::test;

namespace {

struct Library {
    void *handle;
    explicit Library(const std::string &path) : handle(dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {}
    ~Library() {
        if (handle) dlclose(handle);
    }
};

// nb_webhook.so from NB_PLUGIN_PATH, loaded, and its entry.
struct Plugin {
    const std::string path = find_plugin("nb_webhook.so");
    Library lib{path};
    const nb_plugin_entry_t *entry = nullptr;

    Plugin() {
        REQUIRE_MESSAGE(!path.empty(), "nb_webhook.so not found in NB_PLUGIN_PATH");
        REQUIRE_MESSAGE(lib.handle != nullptr, dlerror());
        entry = static_cast<const nb_plugin_entry_t *>(dlsym(lib.handle, NB_PLUGIN_ENTRY_SYMBOL));
        REQUIRE(entry != nullptr);
    }
};

std::string run_command(const std::string &command) {
    std::string out;
    FILE *pipe = popen(command.c_str(), "r");
    if (!pipe) return out;
    char buffer[512];
    while (fgets(buffer, sizeof buffer, pipe)) out += buffer;
    pclose(pipe);
    return out;
}

}  // namespace

TEST_CASE("nb_webhook.so exports nb_plugin_entry and nothing else") {
    const std::string path = find_plugin("nb_webhook.so");
    REQUIRE_MESSAGE(!path.empty(), "nb_webhook.so not found in NB_PLUGIN_PATH");
    const std::string symbols = run_command("nm -D --defined-only '" + path + "' 2>/dev/null");
    if (symbols.empty()) {
        MESSAGE("nm not available; export list not checked");
        return;
    }
    CHECK(symbols.find(" nb_plugin_entry\n") != std::string::npos);
    std::size_t lines = 0;
    for (const char c : symbols) lines += c == '\n';
    CHECK(lines == 1);
}

TEST_CASE("dlopen, init twice, create, POST, stop, destroy, deinit twice") {
    const Plugin plugin;
    const std::string &path = plugin.path;
    const nb_plugin_entry_t *entry = plugin.entry;
    CHECK(nb_version_is_compatible(entry->abi));
    REQUIRE(entry->init(path.c_str()));
    REQUIRE(entry->init(path.c_str()));
    CHECK(entry->node_count() == 2);
    CHECK(std::string(entry->node_descriptor(0)->id) == "events.webhook");
    CHECK(std::string(entry->node_descriptor(1)->id) == "events.webhook_reply");
    CHECK(entry->node_descriptor(2) == nullptr);
    REQUIRE(nb_version_has(entry->abi, 1));
    REQUIRE(bool(entry->get_extension));
    CHECK(entry->get_extension("nb.no_such/1") == nullptr);

    FakeHost host;
    CHECK(entry->create_node("basic.log", "x", host.host()) == nullptr);
    const nb_node_t *node = entry->create_node("events.webhook", "hook", host.host());
    REQUIRE(node != nullptr);
    CHECK(node->descriptor == entry->node_descriptor(0));
    const nb_node_t *reply = entry->create_node("events.webhook_reply", "answer", host.host());
    REQUIRE(reply != nullptr);
    CHECK(reply->descriptor == entry->node_descriptor(1));
    reply->destroy(reply);
    const auto port = free_port();
    REQUIRE(node->set_widget(node, "port", std::to_string(port).c_str()) == NB_OK);
    REQUIRE(node->start(node) == NB_OK);
    HttpRequest req;
    req.body = "via dlopen";
    CHECK(http_request(port, req).status == 200);
    node->stop(node);  // every exchange has ended: its count is in
    const auto *metrics =
        static_cast<const nb_plugin_metrics_t *>(entry->get_extension(NB_EXT_METRICS));
    REQUIRE(metrics != nullptr);
    const CollectedMetrics counted(metrics->collect);
    CHECK(counted.value("nb_webhook_requests_total", {{"node", "hook"}, {"code", "200"}}) == 1);
    node->destroy(node);
    CHECK(CollectedMetrics(metrics->collect).sample("nb_webhook_requests_total",
                                                    {{"node", "hook"}, {"code", "200"}}) == nullptr);
    REQUIRE(host.trigger_count() == 1);
    CHECK(host.triggers()[0].body == "via dlopen");
    entry->deinit();
    entry->deinit();
}

TEST_CASE("a host built against ABI 1.0 drives the plugin through trigger, and nothing reads past its struct") {
    const Plugin plugin;
    const nb_plugin_entry_t *entry = plugin.entry;
    REQUIRE(entry->init(plugin.path.c_str()));
    // The 1.0 struct ends at a PROT_NONE page: reading get_extension faults.
    const void *old_host = v1_0_host_make();
    REQUIRE(old_host != nullptr);
    const auto *host = static_cast<const nb_host_t *>(old_host);
    const nb_node_t *node = entry->create_node("events.webhook", "hook", host);
    REQUIRE(node != nullptr);
    const auto port = free_port();
    REQUIRE(node->set_widget(node, "port", std::to_string(port).c_str()) == NB_OK);
    SUBCASE("respond=immediately answers from the trigger's result") {
        REQUIRE(node->start(node) == NB_OK);
        HttpRequest req;
        req.body = "to an old host";
        const HttpReply reply = http_request(port, req);
        CHECK(reply.status == 200);
        CHECK(reply.body == R"({"status":"ok"})");
        CHECK(v1_0_host_triggers() >= 1);
        CHECK(std::string(v1_0_host_last_body()) == "to an old host");
        node->stop(node);
    }
    SUBCASE("respond=when_finished cannot start, and says why") {
        REQUIRE(node->set_widget(node, "respond", "when_finished") == NB_OK);
        CHECK(node->start(node) == NB_ERR_INVALID);
        CHECK(std::string(node->last_error(node)).find("ABI 1.1") != std::string::npos);
    }
    node->destroy(node);
    entry->deinit();
    v1_0_host_free(old_host);
}
