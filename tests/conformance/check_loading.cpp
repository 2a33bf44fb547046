#include <doctest/doctest.h>


#include "conformance_config.hpp"
#include "plugins/elf_image.hpp"
#include "plugin_under_test.hpp"

using namespace nb::conformance;
using nb::host::elf_exported_symbols;

TEST_CASE("the file loads as a plugin with a compatible ABI") {
    for (const auto &path : config().plugins) {
        INFO("plugin: " << path.string());
        const auto p = load_plugin(path);
        CHECK_MESSAGE(p.library != nullptr, path.string() << ": not a usable plugin: " << p.why);
        if (!p.library) continue;
        const auto abi = p.library->entry().abi;
        CHECK_MESSAGE(nb_version_is_compatible(abi), "entry ABI " << abi.major << "." << abi.minor
                                                                  << " is not " << NB_VERSION_MAJOR
                                                                  << ".x");
    }
}

TEST_CASE("the plugin exports nb_plugin_entry and nothing else") {
    for (const auto &path : config().plugins) {
        INFO("plugin: " << path.string());
        const auto image = nb::host::read_image(path);
        const auto exports = elf_exported_symbols(image ? *image : std::string());
        CHECK_MESSAGE(exports.error.empty(), path.string() << ": " << exports.error);
        if (!exports.error.empty()) continue;
        for (const auto &symbol : exports.symbols)
            CHECK_MESSAGE(symbol == NB_PLUGIN_ENTRY_SYMBOL,
                          path.string() << " exports '" << symbol
                                        << "': hide it (-fvisibility=hidden, a version script)");
        CHECK_MESSAGE(exports.symbols.size() == 1, path.string() << " exports "
                                                                 << exports.symbols.size()
                                                                 << " symbols, not 1");
    }
}

TEST_CASE("init and deinit can be called more than once") {
    for (const auto &path : config().plugins) {
        INFO("plugin: " << path.string());
        const auto p = load_plugin(path);
        if (!p.library) continue;  // reported by the loading rule
        const auto &entry = p.library->entry();
        const uint32_t count = entry.node_count();
        for (int round = 0; round < 3; ++round) {
            REQUIRE_MESSAGE(entry.init(path.c_str()), "a second init returned false");
            CHECK_MESSAGE(entry.node_count() == count, "node_count changed after another init");
            entry.deinit();
        }
        CHECK_MESSAGE(entry.node_count() == count, "node_count changed after init/deinit pairs");
        CHECK_MESSAGE(entry.node_descriptor(count) == nullptr,
                      "node_descriptor(node_count) must be NULL");
    }
}
