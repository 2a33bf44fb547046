#include "manifest_options.hpp"

#include <filesystem>
#include <set>

#include "manifest_file.hpp"
#include "plugin_under_test.hpp"

namespace nb::conformance {
namespace {

// Every node type the plugins provide; false when one of them did not load.
bool provided_types(const Config &cfg, std::set<std::string> &types) {
    bool all_loaded = true;
    for (const auto &path : cfg.plugins) {
        const auto p = load_plugin(path);
        all_loaded = all_loaded && p.library;
        for (const auto *d : p.descriptors())
            if (d && d->id) types.insert(d->id);
    }
    return all_loaded;
}

std::string plugin_list(const Config &cfg) {
    std::string out = cfg.plugins.size() == 1 ? "" : "any of ";
    for (std::size_t i = 0; i < cfg.plugins.size(); ++i)
        out += (i ? ", " : "") + cfg.plugins[i].string();
    return out;
}

}  // namespace

std::string resolve_manifest_options(Config &cfg) {
    for (const auto &dir : cfg.manifest_dirs) {
        std::error_code ec;
        if (!std::filesystem::exists(dir, ec)) return "--manifest-dir " + dir.string() + ": no such folder";
        if (!std::filesystem::is_directory(dir, ec)) return "--manifest-dir " + dir.string() + ": not a folder";
    }
    if (cfg.manifests.empty()) return {};
    std::set<std::string> types;
    const bool all_loaded = provided_types(cfg, types);
    for (const auto &file : cfg.manifests) {
        const std::string named = "--manifest " + file.string();
        const auto manifest = read_manifest(file);
        if (!manifest.error.empty()) return named + ": " + manifest.error;
        const std::string id = manifest_id(manifest.json);
        if (id.empty()) return named + ": no \"id\" string in it";
        if (all_loaded && !types.count(id))
            return named + ": node type \"" + id + "\" (its \"id\") is not provided by " + plugin_list(cfg);
        const auto [earlier, added] = cfg.manifest_by_id.emplace(id, file);
        if (!added)
            return named + " and --manifest " + earlier->second.string() + " both describe node type \"" + id + "\"";
    }
    return {};
}

}  // namespace nb::conformance
