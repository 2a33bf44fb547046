// A node type's manifest (what a host's node list shows before loading the
// plugin) must say what the plugin's descriptor says.
#include <doctest/doctest.h>

#include <Poco/JSON/Parser.h>

#include <optional>
#include <string>

#include "conformance_config.hpp"
#include "descriptor_json.hpp"
#include "descriptor_rules.hpp"
#include "json_difference.hpp"
#include "manifest_file.hpp"
#include "plugin_under_test.hpp"

using namespace nb::conformance;

namespace {

std::string value_or_absent(const std::optional<std::string> &value) { return value ? *value : "absent"; }

// "basic.log: no manifest: [no --manifest file has "id": "basic.log", and ]no
// basic.log.json in DIR, DIR (how to write one)"
std::string missing_manifest(const std::filesystem::path &plugin, const std::string &id) {
    std::string out = id + ": no manifest: ";
    if (!config().manifests.empty()) out += "no --manifest file has \"id\": \"" + id + "\", and ";
    out += "no " + id + ".json in ";
    const auto folders = manifest_folders(config(), plugin);
    for (std::size_t i = 0; i < folders.size(); ++i) out += (i ? ", " : "") + folders[i].string();
    return out + " (`nb-host describe " + id + "` prints it; --no-manifests skips this rule)";
}

void compare_manifest(const nb_node_descriptor_t &d, const std::filesystem::path &file) {
    const std::string id = d.id;
    const auto manifest = read_manifest(file);
    CHECK_MESSAGE(manifest.error.empty(), id << ": " << file.string() << ": " << manifest.error);
    if (!manifest.error.empty()) return;
    const auto differences =
        json_differences(manifest.json, Poco::JSON::Parser().parse(nb::descriptor_to_json(d)));
    CHECK_MESSAGE(differences.empty(), id << ": " << file.string() << " differs from the plugin's descriptor in "
                                          << differences.size() << std::string(differences.size() == 1 ? " field" : " fields")
                                          << " (`nb-host describe " << id << "` prints the descriptor)");
    for (const auto &field : differences)
        FAIL_CHECK(id << ": " << file.string() << ": "
                      << (field.pointer.empty() ? "the document" : field.pointer) << " is "
                      << value_or_absent(field.left) << " in the manifest, "
                      << value_or_absent(field.right) << " in the plugin");
}

}  // namespace

TEST_CASE("every node type has a manifest equal to its descriptor") {
    if (config().no_manifests) {
        MESSAGE("manifests skipped: --no-manifests");
        return;
    }
    for (const auto &path : config().plugins) {
        const auto p = load_plugin(path);
        if (!p.library) continue;  // reported by the loading rule
        for (const auto *d : p.library->descriptors()) {
            if (!*d->id || !descriptor_arrays_readable(*d)) continue;  // the descriptor rule's
            const auto file = find_manifest(config(), path, d->id);
            CHECK_MESSAGE(!file.empty(), missing_manifest(path, d->id));
            if (!file.empty()) compare_manifest(*d, file);
        }
    }
}
