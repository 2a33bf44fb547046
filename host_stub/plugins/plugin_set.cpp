#include "plugin_set.hpp"

#include <algorithm>
#include <string>
#include <system_error>

namespace nb::host {
namespace fs = std::filesystem;

SearchPath plugin_search_path(const std::vector<fs::path> &plugin_dirs, const char *env_path) {
    SearchPath search{plugin_dirs, {}};
    if (env_path) {
        std::string_view rest(env_path);
        while (!rest.empty()) {
            const auto colon = rest.find(':');
            const auto item = rest.substr(0, colon);
            if (!item.empty()) search.explicit_dirs.emplace_back(std::string(item));
            rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
        }
    }
    search.default_dirs = {NB_PLUGIN_BUILD_DIR, NB_PLUGIN_INSTALL_DIR};
    return search;
}

void PluginSet::load_file(const fs::path &file, std::ostream &warnings) {
    std::error_code ec;
    const fs::path canonical = fs::canonical(file, ec);
    if (ec) {
        warnings << "nb-host: warning: skipping plugin " << file << ": " << ec.message() << "\n";
        return;
    }
    const bool seen = std::any_of(libraries_.begin(), libraries_.end(),
                                  [&](const auto &lib) { return lib->path() == canonical; });
    if (seen) return;
    std::string why;
    auto library = PluginLibrary::open(canonical, why);
    if (!library) {
        warnings << "nb-host: warning: skipping plugin " << file << ": " << why << "\n";
        return;
    }
    for (const nb_node_descriptor_t *d : library->descriptors()) {
        if (const NodeType *taken = find(d->id)) {
            warnings << "nb-host: warning: node type " << d->id << " of " << file
                     << " skipped: already provided by " << taken->library->path() << "\n";
            continue;
        }
        types_.push_back({d, library.get()});
    }
    libraries_.push_back(std::move(library));
}

void PluginSet::load_dir(const fs::path &dir, std::ostream &warnings) {
    std::vector<fs::path> files;
    std::error_code ec;
    const auto collect = [&](const fs::path &folder) {
        for (const auto &item : fs::directory_iterator(folder, ec)) {
            if (item.path().extension() == ".so" && item.is_regular_file(ec)) {
                files.push_back(item.path());
            }
        }
    };
    collect(dir);
    for (const auto &item : fs::directory_iterator(dir, ec)) {
        if (item.is_directory(ec)) collect(item.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto &file : files) load_file(file, warnings);
}

void PluginSet::load(const SearchPath &search, std::ostream &warnings) {
    std::error_code ec;
    for (const auto &dir : search.explicit_dirs) {
        if (!fs::is_directory(dir, ec)) {
            warnings << "nb-host: warning: skipping plugin folder " << dir
                     << ": not a directory\n";
            continue;
        }
        load_dir(dir, warnings);
    }
    for (const auto &dir : search.default_dirs) {
        if (fs::is_directory(dir, ec)) load_dir(dir, warnings);
    }
}

const NodeType *PluginSet::find(std::string_view node_type) const {
    const auto it = std::find_if(types_.begin(), types_.end(),
                                 [&](const NodeType &t) { return node_type == t.descriptor->id; });
    return it == types_.end() ? nullptr : &*it;
}

}  // namespace nb::host
