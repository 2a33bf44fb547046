#pragma once

// The host suites' plugins plus the 1.0 fixture plugin that provides
// test.source (tests/host/fixtures/test_plugin.c), for workflows whose runs
// the test starts.

#include <filesystem>
#include <ostream>

#include "helpers.hpp"

namespace nb::test {

inline void load_test_plugins_and_source(host::PluginSet &plugins, std::ostream &warnings) {
    load_test_plugins(plugins, warnings);
    plugins.load_file(std::filesystem::path(TEST_FIXTURE_DIR) / "test_good.so", warnings);
}

}  // namespace nb::test
