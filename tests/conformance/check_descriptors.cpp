#include <doctest/doctest.h>

#include "conformance_config.hpp"
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

TEST_CASE("each node type is provided by one plugin only") {
    std::vector<PluginUnderTest> loaded;  // kept loaded: the descriptors are theirs
    std::vector<ProvidedTypes> provided;
    for (const auto &path : config().plugins) {
        loaded.push_back(load_plugin(path));
        if (loaded.back().library) provided.push_back({path.string(), loaded.back().descriptors()});
    }
    for (const auto &[type, files] : providers_by_type(provided)) {
        std::string named = files.front();
        for (std::size_t i = 1; i < files.size(); ++i) named += (i + 1 == files.size() ? " and " : ", ") + files[i];
        CHECK_MESSAGE(files.size() == 1, type << " is provided by " << files.size() << " plugins: " << named);
    }
}
