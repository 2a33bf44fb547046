// ABI 1.1 extensions (extension.h): looked up by id, a missing one is NULL,
// and a 1.0 struct is never read past its end.
#include <doctest/doctest.h>

#include "conformance_config.hpp"
#include "check_host.hpp"
#include "plugin_under_test.hpp"

using namespace nb::conformance;

TEST_CASE("a 1.1 plugin entry's get_extension returns NULL for an unknown id") {
    for (const auto &path : config().plugins) {
        const auto p = load_plugin(path);
        if (!p.library) continue;
        const nb_plugin_entry_t &entry = p.library->entry();
        INFO("plugin: " << path.string());
        // A 1.0 entry ends before get_extension; a NULL one means "none".
        if (!nb_version_has(entry.abi, 1) || !entry.get_extension) continue;
        CHECK_MESSAGE(entry.get_extension(kUnknownExtensionId) == nullptr,
                      "the entry's get_extension(\"" << text(kUnknownExtensionId)
                                                     << "\") did not return NULL for an unknown id");
    }
}

TEST_CASE("a 1.1 node's get_extension returns NULL for an unknown id") {
    CheckHost host;
    for_each_node_type([&](const nb_plugin_entry_t &entry, const nb_node_descriptor_t &d) {
        Instance node(entry, d, host.host());
        REQUIRE(node);
        // The node's own stamp decides: a 1.0 node has no get_extension field.
        if (!nb_version_has(node->abi, 1) || !node->get_extension) return;
        CHECK_MESSAGE(node->get_extension(node.get(), kUnknownExtensionId) == nullptr,
                      "the node's get_extension(\"" << text(kUnknownExtensionId)
                                                    << "\") did not return NULL for an unknown id");
    });
}

// A host prints "listening:" lines from NB_EXT_LISTEN_ADDRESS alone, so what
// it says must match the node's state and widgets.
TEST_CASE("a node's NB_EXT_LISTEN_ADDRESS says where it listens, and only while started") {
    CheckHost host;
    for_each_node_type([&](const nb_plugin_entry_t &entry, const nb_node_descriptor_t &d) {
        Instance node(entry, d, host.host());
        REQUIRE(node);
        const auto *listen = static_cast<const nb_node_listen_address_t *>(
            node_extension(node.get(), NB_EXT_LISTEN_ADDRESS));
        if (!listen) return;
        REQUIRE_MESSAGE((listen->count && listen->get),
                        NB_EXT_LISTEN_ADDRESS " is offered with a NULL count or get");
        const HttpRoute route = use_free_route(node.get(), d);
        CHECK_MESSAGE(listen->count(node.get()) == 0, NB_EXT_LISTEN_ADDRESS ": count is not 0 before start");
        REQUIRE_MESSAGE(node->start(node.get()) == NB_OK, text(node->last_error(node.get())));
        const std::uint32_t count = listen->count(node.get());
        if (route && (d.flags & NB_NODE_EVENT_SOURCE))
            CHECK_MESSAGE(count >= 1, NB_EXT_LISTEN_ADDRESS ": count is 0 after a successful start");
        for (std::uint32_t i = 0; i < count; ++i) {
            INFO(NB_EXT_LISTEN_ADDRESS " address " << i);
            nb_listen_address_t a{};
            REQUIRE_MESSAGE(listen->get(node.get(), i, &a), "get(i < count) returned false");
            CHECK_MESSAGE((a.scheme && a.address && a.path), "get left scheme, address or path NULL");
            if (route.port) CHECK_MESSAGE(a.port == route.port, "get's port is not the node's port");
        }
        nb_listen_address_t past{};
        CHECK_MESSAGE(!listen->get(node.get(), count, &past), NB_EXT_LISTEN_ADDRESS ": get(count) returned true");
        node->stop(node.get());
        CHECK_MESSAGE(listen->count(node.get()) == 0, NB_EXT_LISTEN_ADDRESS ": count is not 0 after stop");
    });
}
