#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "helpers.hpp"

using nb::host::PluginSet;
namespace fs = std::filesystem;

namespace {

const fs::path fixtures = TEST_FIXTURE_DIR;

size_t line_count(const std::string &text) {
    return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Loads `file` alone and returns the warnings it produced.
std::string load_warnings(const fs::path &file, PluginSet &plugins) {
    std::ostringstream warnings;
    plugins.load_file(file, warnings);
    return warnings.str();
}

}  // namespace

TEST_CASE("a good plugin is loaded and its node types are found") {
    PluginSet plugins;
    CHECK(load_warnings(fixtures / "test_good.so", plugins).empty());
    REQUIRE(plugins.find("test.source"));
    CHECK(plugins.find("test.source")->library->path().filename() == "test_good.so");
    CHECK(plugins.find("test.nothing") == nullptr);
    // The same file again is the same library, not a second copy.
    CHECK(load_warnings(fixtures / "test_good.so", plugins).empty());
    CHECK(plugins.libraries().size() == 1);
}

TEST_CASE("unusable files are skipped with one warning naming the file and why") {
    nb::test::TempDir dir;
    nb::test::write_file(dir / "notes.so", "this is text, not ELF\n");
    struct Case {
        fs::path file;
        std::string reason;
    };
    const Case cases[] = {
        {dir / "notes.so", "not a loadable shared library"},
        {fixtures / "test_no_entry.so", "no nb_plugin_entry symbol"},
        {fixtures / "test_bad_abi.so", "incompatible ABI 2.0.0"},
        {fixtures / "test_init_fails.so", "init returned false"},
        {dir / "missing.so", "No such file"},
    };
    for (const Case &c : cases) {
        CAPTURE(c.file);
        PluginSet plugins;
        const std::string warning = load_warnings(c.file, plugins);
        CHECK(line_count(warning) == 1);
        CHECK(warning.find(c.file.filename().string()) != std::string::npos);
        CHECK(warning.find(c.reason) != std::string::npos);
        CHECK(plugins.node_types().empty());
        CHECK(plugins.libraries().empty());
    }
}

TEST_CASE("a folder is scanned with one level of subfolders; bad files do not stop it") {
    nb::test::TempDir dir;
    fs::create_directories(dir / "sub");
    fs::copy_file(fixtures / "test_good.so", dir / "sub" / "good.so");
    fs::copy_file(fixtures / "test_no_entry.so", dir / "no_entry.so");
    nb::test::write_file(dir / "README.txt", "ignored: not a .so");
    PluginSet plugins;
    std::ostringstream warnings;
    plugins.load_dir(dir.path(), warnings);
    CHECK(plugins.find("test.source"));
    CHECK(line_count(warnings.str()) == 1);
    CHECK(warnings.str().find("no_entry.so") != std::string::npos);
}

TEST_CASE("search path: --plugin-dir, then NB_PLUGIN_PATH, then the build and install folders") {
    const auto search = nb::host::plugin_search_path({"/one", "/two"}, "/env/a::/env/b");
    REQUIRE(search.explicit_dirs.size() == 4);
    CHECK(search.explicit_dirs[0] == "/one");
    CHECK(search.explicit_dirs[1] == "/two");
    CHECK(search.explicit_dirs[2] == "/env/a");
    CHECK(search.explicit_dirs[3] == "/env/b");
    REQUIRE(search.default_dirs.size() == 2);
    CHECK(search.default_dirs[0] == NB_PLUGIN_BUILD_DIR);
    CHECK(nb::host::plugin_search_path({}, nullptr).explicit_dirs.empty());
}

TEST_CASE("an explicit folder that does not exist is warned about once") {
    PluginSet plugins;
    std::ostringstream warnings;
    plugins.load({{"/nonexistent/nb-plugins"}, {"/nonexistent/default"}}, warnings);
    CHECK(line_count(warnings.str()) == 1);
    CHECK(warnings.str().find("/nonexistent/nb-plugins") != std::string::npos);
}

TEST_CASE("the first plugin providing a node type wins; the later one is warned about") {
    nb::test::TempDir dir;
    fs::copy_file(fixtures / "test_good.so", dir / "copy.so");
    PluginSet plugins;
    std::ostringstream warnings;
    plugins.load_file(fixtures / "test_good.so", warnings);
    plugins.load_file(dir / "copy.so", warnings);
    CHECK(plugins.node_types().size() == 1);
    CHECK(plugins.find("test.source")->library->path().filename() == "test_good.so");
    CHECK(warnings.str().find("already provided") != std::string::npos);
}

TEST_CASE("NB_PLUGIN_PATH finds the basic plugin") {
    PluginSet plugins;
    std::ostringstream warnings;
    nb::test::load_test_plugins(plugins, warnings);
    CHECK(plugins.find("basic.log"));
    CHECK(plugins.find("basic.json_get"));
    CHECK(plugins.find("basic.file_append"));
}
