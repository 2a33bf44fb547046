#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
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

// All plugins found, from the search path's folders in order. A node type is
// provided by the first file found with it; a later file's type is shadowed,
// with a warning naming both files: one line per shadowed type, or one for a
// whole file when it is another version of that first one (same file name);
// a byte-identical copy of a loaded plugin is not loaded again, nor reported,
// since nothing differs. Two files of one search folder (loaded by one
// load_dir) providing a type make it ambiguous: it is warned about here, and
// build_workflow refuses a workflow that uses it. Destroying the set unloads
// every library: node instances must be destroyed before it.
class PluginSet {
public:
    // Loads `file` as a search folder of its own; an unusable one is skipped
    // with one warning line on `warnings` naming the file and why, and so is
    // each node type it offers that this host cannot use. The same file twice
    // is loaded once.
    void load_file(const std::filesystem::path &file, std::ostream &warnings);
    // Loads every *.so in `dir` and in its direct subfolders, in name order.
    void load_dir(const std::filesystem::path &dir, std::ostream &warnings);
    void load(const SearchPath &search, std::ostream &warnings);

    const NodeType *find(std::string_view node_type) const;
    // The other files of the first provider's folder that provide `node_type`
    // too; empty when it is not ambiguous.
    std::vector<const PluginLibrary *> rivals(std::string_view node_type) const;
    const std::vector<NodeType> &node_types() const { return types_; }
    const std::vector<std::unique_ptr<PluginLibrary>> &libraries() const { return libraries_; }

private:
    struct Rival {
        std::string node_type;
        const PluginLibrary *library;
    };
    // `folder` numbers the search folder the file comes from.
    void load_file(const std::filesystem::path &file, std::size_t folder, std::ostream &warnings);
    // Adds the library's node types; false when it is a copy of one loaded.
    bool add_types(const PluginLibrary &library, std::size_t folder, std::ostream &warnings);
    std::size_t folder_of(const PluginLibrary *library) const;

    std::vector<std::unique_ptr<PluginLibrary>> libraries_;
    std::vector<std::size_t> folders_;  // per library: its search folder
    std::size_t next_folder_ = 0;
    std::vector<NodeType> types_;
    std::vector<Rival> rivals_;
};

}  // namespace nb::host
