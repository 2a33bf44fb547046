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
    load_file(file, next_folder_++, warnings);
}

void PluginSet::load_file(const fs::path &file, std::size_t folder, std::ostream &warnings) {
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
    if (!add_types(*library, folder, warnings)) return;
    libraries_.push_back(std::move(library));
    folders_.push_back(folder);
}

bool PluginSet::add_types(const PluginLibrary &library, std::size_t folder, std::ostream &warnings) {
    const auto loaded = [&](auto same) {
        const auto it = std::find_if(libraries_.begin(), libraries_.end(),
                                     [&](const auto &other) { return same(*other); });
        return it == libraries_.end() ? nullptr : it->get();
    };
    if (loaded([&](const PluginLibrary &other) { return other.fingerprint() == library.fingerprint(); })) {
        return false;
    }
    const fs::path &file = library.path();
    for (const std::string &why : library.skipped()) {
        warnings << "nb-host: warning: plugin " << file << ": skipping " << why << "\n";
    }
    // Another version of a plugin found earlier (the build's and the
    // install's folder both hold ours): one line, not one per node type.
    const PluginLibrary *version = loaded([&](const PluginLibrary &other) {
        return other.path().filename() == file.filename() && folder_of(&other) != folder;
    });
    const bool all_shadowed =
        version && !library.descriptors().empty() &&
        std::all_of(library.descriptors().begin(), library.descriptors().end(), [&](const nb_node_descriptor_t *d) {
            const NodeType *taken = find(d->id);
            return taken && taken->library == version;
        });
    if (all_shadowed) {
        warnings << "nb-host: warning: plugin " << file << " is shadowed by " << version->path()
                 << ", another version of it found earlier in the plugin search path\n";
    }
    for (const nb_node_descriptor_t *d : library.descriptors()) {
        const NodeType *taken = find(d->id);
        if (!taken) {
            types_.push_back({d, &library});
        } else if (taken->library == &library) {
            warnings << "nb-host: warning: plugin " << file << ": skipping node type \"" << d->id
                     << "\": listed twice\n";
        } else if (folder_of(taken->library) == folder) {
            rivals_.push_back({d->id, &library});
            warnings << "nb-host: warning: node type \"" << d->id << "\" is ambiguous: " << taken->library->path()
                     << " and " << file << " in one plugin folder both provide it; a workflow that uses it is refused\n";
        } else if (!all_shadowed) {
            warnings << "nb-host: warning: node type \"" << d->id << "\" of " << file << " is shadowed by "
                     << taken->library->path() << ", found earlier in the plugin search path\n";
        }
    }
    return true;
}

std::size_t PluginSet::folder_of(const PluginLibrary *library) const {
    std::size_t i = 0;
    while (libraries_[i].get() != library) ++i;  // only loaded libraries are asked about
    return folders_[i];
}

void PluginSet::load_dir(const fs::path &dir, std::ostream &warnings) {
    const std::size_t folder = next_folder_++;
    std::vector<fs::path> files;
    std::error_code ec;
    const auto collect = [&](const fs::path &from) {
        for (const auto &item : fs::directory_iterator(from, ec)) {
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
    for (const auto &file : files) load_file(file, folder, warnings);
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

std::vector<const PluginLibrary *> PluginSet::rivals(std::string_view node_type) const {
    std::vector<const PluginLibrary *> found;
    for (const Rival &rival : rivals_) {
        if (rival.node_type == node_type) found.push_back(rival.library);
    }
    return found;
}

}  // namespace nb::host
