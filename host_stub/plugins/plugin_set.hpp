#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <string_view>
#include <vector>

#include "plugin_library.hpp"

namespace nb::host {

// A node type and the library that provides it.
struct NodeType {
    const nb_node_descriptor_t *descriptor;
    const PluginLibrary *library;
};

// Where plugins are looked for, in order: each --plugin-dir, then the
// colon-separated `env_path` (NB_PLUGIN_PATH, may be null), then the build's
// and the install's plugin folders.
struct SearchPath {
    std::vector<std::filesystem::path> explicit_dirs;  // a missing one is warned about
    std::vector<std::filesystem::path> default_dirs;   // a missing one is silently skipped
};
SearchPath plugin_search_path(const std::vector<std::filesystem::path> &plugin_dirs,
                              const char *env_path);

// All plugins found. The first file providing a node type wins. Destroying the
// set unloads every library: node instances must be destroyed before it.
class PluginSet {
public:
    // Loads `file`; an unusable one is skipped with one warning line on
    // `warnings` naming the file and why. The same file twice is loaded once.
    void load_file(const std::filesystem::path &file, std::ostream &warnings);
    // Loads every *.so in `dir` and in its direct subfolders, in name order.
    void load_dir(const std::filesystem::path &dir, std::ostream &warnings);
    void load(const SearchPath &search, std::ostream &warnings);

    const NodeType *find(std::string_view node_type) const;
    const std::vector<NodeType> &node_types() const { return types_; }
    const std::vector<std::unique_ptr<PluginLibrary>> &libraries() const { return libraries_; }

private:
    std::vector<std::unique_ptr<PluginLibrary>> libraries_;
    std::vector<NodeType> types_;
};

}  // namespace nb::host
