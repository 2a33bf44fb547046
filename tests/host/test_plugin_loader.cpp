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

TEST_CASE("a node type whose descriptor has another ABI major is skipped with a warning naming plugin and type") {
    PluginSet plugins;
    const fs::path file = fs::canonical(fixtures / "test_node_bad_abi.so");
    CHECK(load_warnings(file, plugins) ==
          "nb-host: warning: plugin \"" + file.string() +
              "\": skipping node type \"test.source\": incompatible ABI 2.0.0 (host speaks 1.x)\n");
    CHECK(plugins.node_types().empty());
}

TEST_CASE("a plugin found earlier in the search path shadows a later one: one warning line per shadowed type") {
    nb::test::TempDir dir;
    fs::create_directories(dir / "one");
    fs::create_directories(dir / "two");
    fs::copy_file(fixtures / "test_good.so", dir / "one" / "good.so");
    fs::copy_file(fixtures / "test_other_source.so", dir / "two" / "other.so");
    PluginSet plugins;
    std::ostringstream warnings;
    plugins.load({{dir / "one", dir / "two"}, {}}, warnings);
    const fs::path first = fs::canonical(dir / "one" / "good.so");
    const fs::path later = fs::canonical(dir / "two" / "other.so");
    CHECK(warnings.str() == "nb-host: warning: node type \"test.source\" of \"" + later.string() +
                                "\" is shadowed by \"" + first.string() +
                                "\", found earlier in the plugin search path\n");
    CHECK(plugins.node_types().size() == 1);
    CHECK(plugins.find("test.source")->library->path() == first);
    CHECK(plugins.rivals("test.source").empty());
}

TEST_CASE("another version of a plugin (same file name) later in the search path is one line; a copy is silent") {
    nb::test::TempDir dir;
    for (const char *folder : {"build", "install", "copy"}) fs::create_directories(dir / folder);
    fs::copy_file(fixtures / "test_good.so", dir / "build" / "nb_test.so");
    fs::copy_file(fixtures / "test_other_source.so", dir / "install" / "nb_test.so");
    fs::copy_file(fixtures / "test_good.so", dir / "copy" / "renamed.so");
    PluginSet plugins;
    std::ostringstream warnings;
    plugins.load({{dir / "build", dir / "install", dir / "copy"}, {}}, warnings);
    CHECK(warnings.str() == "nb-host: warning: plugin \"" + fs::canonical(dir / "install" / "nb_test.so").string() +
                                "\" is shadowed by \"" + fs::canonical(dir / "build" / "nb_test.so").string() +
                                "\", another version of it found earlier in the plugin search path\n");
    // The byte-identical copy is not loaded a second time.
    CHECK(plugins.libraries().size() == 2);
    CHECK(plugins.find("test.source")->library->path() == fs::canonical(dir / "build" / "nb_test.so"));
}

TEST_CASE("two plugins of one folder providing a node type make it ambiguous, with a warning naming both") {
    nb::test::TempDir dir;
    fs::create_directories(dir / "sub");
    fs::copy_file(fixtures / "test_good.so", dir / "a.so");
    fs::copy_file(fixtures / "test_other_source.so", dir / "sub" / "b.so");
    PluginSet plugins;
    std::ostringstream warnings;
    plugins.load_dir(dir.path(), warnings);
    const fs::path a = fs::canonical(dir / "a.so");
    const fs::path b = fs::canonical(dir / "sub" / "b.so");
    CHECK(warnings.str() == "nb-host: warning: node type \"test.source\" is ambiguous: \"" + a.string() + "\" and \"" +
                                b.string() +
                                "\" in one plugin folder both provide it; a workflow that uses it is refused\n");
    const auto rivals = plugins.rivals("test.source");
    REQUIRE(rivals.size() == 1);
    CHECK(rivals[0]->path() == b);
    CHECK(plugins.find("test.source")->library->path() == a);
}

TEST_CASE("NB_PLUGIN_PATH finds the basic plugin") {
    PluginSet plugins;
    std::ostringstream warnings;
    nb::test::load_test_plugins(plugins, warnings);
    CHECK(plugins.find("basic.log"));
    CHECK(plugins.find("basic.json_get"));
    CHECK(plugins.find("basic.file_append"));
}
