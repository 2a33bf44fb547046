#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <nb/plugin.h>

#include "abi_exception_probe.hpp"
#include "conformance_config.hpp"

#include "plugins/plugin_library.hpp"

namespace nb::conformance {

// A plugin loaded exactly as nb-host loads it.
struct PluginUnderTest {
    std::filesystem::path path;
    std::unique_ptr<nb::host::PluginLibrary> library;  // null when it would not load
    std::string why;                                   // the loader's reason then

    // Every descriptor the entry enumerates, compatible or not.
    std::vector<const nb_node_descriptor_t *> descriptors() const;
};

// A C++ exception escaping init, node_count or node_descriptor while loading
// is caught and becomes the reason it would not load.
PluginUnderTest load_plugin(const std::filesystem::path &path);

// An extension id no plugin offers: the answer must be "not supported", not
// a crash nor a pointer a host would then read as some struct.
inline constexpr const char *kUnknownExtensionId = "nb.conformance_unknown/1";

// Destroys the instance when it goes out of scope.
class Instance {
public:
    Instance(const nb_plugin_entry_t &entry, const nb_node_descriptor_t &d, const nb_host_t *host,
             const char *node_id = "conformance");
    ~Instance();
    Instance(const Instance &) = delete;
    Instance &operator=(const Instance &) = delete;

    const nb_node_t *get() const { return node_; }
    const nb_node_t *operator->() const { return node_; }
    explicit operator bool() const { return node_ != nullptr; }

private:
    const nb_node_t *node_;
};

const nb_widget_desc_t *find_widget(const nb_node_descriptor_t &d, const char *name);

// Gives a node that listens (a widget `port`) a free port so that tests do not
// collide with each other or with a running host. Returns the port, 0 if none.
std::uint16_t use_free_port(const nb_node_t *node, const nb_node_descriptor_t &d);

// Where an event source with `port` and `path` widgets can be reached over
// HTTP once started (the port a free one, set by use_free_route); false for
// a node without them, which no HTTP check can reach.
struct HttpRoute {
    std::uint16_t port = 0;
    std::string path;
    explicit operator bool() const { return port != 0 && !path.empty(); }
};
HttpRoute use_free_route(const nb_node_t *node, const nb_node_descriptor_t &d);

// The node's extension `id`, or NULL; reads get_extension only when the
// node's struct is 1.1 or later (a 1.0 node ends before it).
const void *node_extension(const nb_node_t *node, const char *id);

// A C string as text for doctest messages, which print char pointers as addresses.
inline std::string text(const char *s) { return s ? s : "(null)"; }

// Resident memory of this process in bytes.
std::size_t resident_bytes();

// Calls check(entry, descriptor) for every node type of every plugin given
// that loads (the loading rule reports those that do not), naming the node
// type in every message. A node type that lets a C++ exception cross the ABI
// is left to the exception rule: here it would fail every rule, or end the
// process from a thread.
template <typename Check>
void for_each_node_type(Check check) {
    for (const auto &path : config().plugins) {
        const auto p = load_plugin(path);
        if (!p.library) continue;
        for (const auto *d : p.library->descriptors()) {
            if (throws_across_abi(p.library->entry(), *d)) continue;
            INFO("node type: " << text(d->id));
            check(p.library->entry(), *d);
        }
    }
}

}  // namespace nb::conformance
