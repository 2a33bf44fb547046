#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

// BOOST_DLL_USE_STD_FS comes from nb_host_core_dep: std::filesystem, no Boost library to link.
#include <boost/dll/shared_library.hpp>

#include <nb/plugin.h>

namespace nb::host {

// One loaded plugin file, initialised. Owns the shared library: every
// descriptor, instance and function pointer taken from it must be gone before
// it is destroyed (its destructor calls deinit, then unloads).
class PluginLibrary {
public:
    // Loads and initialises `file`. On failure returns nullptr and sets `why`
    // to one short reason ("not a shared library: ...", "no nb_plugin_entry
    // symbol", "incompatible ABI 2.0 (host speaks 1.x)", "init returned false").
    static std::unique_ptr<PluginLibrary> open(const std::filesystem::path &file, std::string &why);

    ~PluginLibrary();
    PluginLibrary(const PluginLibrary &) = delete;
    PluginLibrary &operator=(const PluginLibrary &) = delete;

    const std::filesystem::path &path() const { return path_; }
    const nb_plugin_entry_t &entry() const { return *entry_; }
    // [main-thread] The plugin's extension `id`, or NULL (always for a 1.0
    // plugin, whose entry has no get_extension). Valid until this object dies.
    const void *extension(const char *id) const;
    // Descriptors with a compatible ABI, in the plugin's order.
    const std::vector<const nb_node_descriptor_t *> &descriptors() const { return descriptors_; }
    // Why each other descriptor was left out, one line each:
    // "node type \"x.y\": incompatible ABI 2.0.0 (host speaks 1.x)".
    const std::vector<std::string> &skipped() const { return skipped_; }
    // Equal for byte-identical files (a hash and the size): a copy of a plugin
    // already loaded is told apart from another build of it.
    std::pair<std::size_t, std::size_t> fingerprint() const { return fingerprint_; }

private:
    PluginLibrary(std::filesystem::path path, boost::dll::shared_library library,
                  const nb_plugin_entry_t *entry, std::pair<std::size_t, std::size_t> fingerprint);

    std::filesystem::path path_;
    boost::dll::shared_library library_;
    const nb_plugin_entry_t *entry_;
    std::vector<const nb_node_descriptor_t *> descriptors_;
    std::vector<std::string> skipped_;
    std::pair<std::size_t, std::size_t> fingerprint_;
};

}  // namespace nb::host
