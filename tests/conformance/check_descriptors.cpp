#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "conformance_config.hpp"
#include "descriptor_json.hpp"
#include "descriptor_rules.hpp"
#include "plugin_under_test.hpp"

using namespace nb::conformance;

TEST_CASE("every descriptor is well formed") {
    for (const auto &path : config().plugins) {
        INFO("plugin: " << path.string());
        const auto p = load_plugin(path);
        if (!p.library) continue;
        const auto descriptors = p.descriptors();
        CHECK_MESSAGE(!descriptors.empty(), "the plugin offers no node type");
        for (const auto &v : descriptor_set_violations(descriptors)) FAIL_CHECK(v);
        for (const auto *d : descriptors)
            if (d)
                for (const auto &v : descriptor_violations(*d)) FAIL_CHECK(v);
    }
}

namespace {

// --manifest files, then ID.json in each --manifest-dir, then beside the plugin.
std::filesystem::path find_manifest(const std::filesystem::path &plugin, const std::string &id) {
    for (const auto &m : config().manifests)
        if (m.stem() == id) return m;
    auto dirs = config().manifest_dirs;
    dirs.push_back(plugin.parent_path());
    for (const auto &dir : dirs)
        if (std::filesystem::exists(dir / (id + ".json"))) return dir / (id + ".json");
    return {};
}

}  // namespace

TEST_CASE("a node's manifest, where there is one, equals its descriptor") {
    for (const auto &m : config().manifests)
        CHECK_MESSAGE(std::filesystem::exists(m), m.string() << ": no such manifest");
    for (const auto &path : config().plugins) {
        const auto p = load_plugin(path);
        if (!p.library) continue;
        for (const auto *d : p.descriptors()) {
            if (!d || !d->id) continue;
            const auto manifest = find_manifest(path, d->id);
            if (manifest.empty()) continue;
            std::ifstream in(manifest, std::ios::binary);
            const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            CHECK_MESSAGE(content == nb::descriptor_to_json(*d),
                          text(d->id) << ": " << manifest.string()
                                << " differs from the descriptor; regenerate it with "
                                   "`nb-host describe "
                                << text(d->id) << "`");
        }
    }
}
