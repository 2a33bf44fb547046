#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "descriptor_rules.hpp"
#include "plugins/elf_image.hpp"
#include "tool_runner.hpp"

using namespace nb::conformance;
using namespace nb::conformance::testing;
using nb::host::elf_exported_symbols;

namespace {

// The built nb_basic.so, read as the loader reads it.
std::string basic_plugin_image() {
    const auto image = nb::host::read_image(env_path("NB_BASIC_PLUGIN"));
    REQUIRE_MESSAGE(image, "cannot read NB_BASIC_PLUGIN");
    return *image;
}

}  // namespace

TEST_CASE("files that are not plugins are refused with a message naming them, not a crash") {
    const ScratchDir scratch;
    const auto text = scratch.write("notes.so", "just some text, not a library\n");
    const auto truncated = scratch.write("truncated.so", basic_plugin_image().substr(0, 4096));
    const std::string no_entry = env_path("NB_NO_ENTRY_LIBRARY");
    const std::string missing = "/nonexistent/folder/plugin.so";
    for (const std::string &file : {text.string(), truncated.string(), no_entry, missing}) {
        INFO("file: " << file);
        const auto r = run_conformance({file});
        CHECK(r.exit_code == 1);  // a crash would be a signal, not 1
        CHECK(r.output.find(file + ": not a usable plugin") != std::string::npos);
    }
}

TEST_CASE("a plugin that loads but breaks the contract gets every broken rule named") {
    const auto r = run_conformance({env_path("NB_BAD_PLUGIN")});
    CHECK(r.exit_code == 1);
    for (const char *expected :
         {"exports 'nb_bad_plugin_extra_symbol'", "BadId: id must look like 'category.name'",
          "BadId: title is empty", "version '1.0' is not a semantic version",
          "widget 'level': default 99 is outside 1-10", "widget name 'level' is used twice",
          "unknown socket type 'BLOB'", "unknown flags 128", "create_node returned NULL"}) {
        INFO("expected in output: " << std::string(expected));
        CHECK(r.output.find(expected) != std::string::npos);
    }
}

TEST_CASE("a 1.1 plugin that breaks the 1.1 rules gets each named with its node type") {
    const auto r = run_conformance({env_path("NB_BAD_ABI11_PLUGIN")});
    CHECK(r.exit_code == 1);
    for (const char *expected :
         {"the entry's get_extension(\"nb.conformance_unknown/1\") did not return NULL",
          "the node's get_extension(\"nb.conformance_unknown/1\") did not return NULL",
          "set_reply (status 200) was called outside an execute of its run",
          "execute returned NB_OK though set_reply answered NB_REPLY_ALREADY_SET",
          "node type: test.bad_abi11"}) {
        INFO("expected in output: " << std::string(expected));
        CHECK(r.output.find(expected) != std::string::npos);
    }
}

// A 1.0 plugin's structs end before get_extension (this fixture's nodes end
// at a guard page): reading past them would crash, not fail a check.
TEST_CASE("a 1.0 plugin is never read past 1.0: no extension rule touches it") {
    const auto r = run_conformance({env_path("NB_ABI10_PLUGIN")});
    INFO(r.output);
    CHECK((r.exit_code == 0 || r.exit_code == 1));
    // The summary names the extension rules; no other line may.
    std::istringstream lines(r.output);
    for (std::string line; std::getline(lines, line);)
        if (!is_summary_line(line)) CHECK(line.find("get_extension") == std::string::npos);
}

TEST_CASE("no plugin on the command line is a usage error") {
    const auto r = run_conformance({});
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("usage: nb-conformance") != std::string::npos);
}

TEST_CASE("descriptor rules accept a well formed descriptor") {
    static const char *const tags[] = {"t"};
    static const nb_socket_desc_t in[] = {{"text", NB_SOCKET_TEXT, "in"}};
    static const char *const choices[] = {"a", "b"};
    static const nb_widget_desc_t widgets[] = {
        {"n", NB_WIDGET_NUMBER, "5", 1, 9, "", nullptr, 0},
        {"c", NB_WIDGET_CHOICE, "b", 0, 0, "", choices, 2},
    };
    const nb_node_descriptor_t d{NB_VERSION_INIT, "basic.good", "Good", "", "Basic", "1.2.3-rc.1",
                                 tags, 1, in, 1, nullptr, 0, widgets, 2, 0};
    CHECK(descriptor_violations(d).empty());
    CHECK(descriptor_set_violations({&d}).size() == 0);
    CHECK(descriptor_set_violations({&d, &d}).size() == 1);
}

TEST_CASE("descriptor rules name what is wrong") {
    static const char *const choices[] = {"a"};
    static const nb_widget_desc_t widgets[] = {
        {"c", NB_WIDGET_CHOICE, "z", 0, 0, "", choices, 1},
        {"n", NB_WIDGET_NUMBER, "x", 5, 1, "", nullptr, 0},
    };
    static const nb_socket_desc_t in[] = {{"text", NB_SOCKET_TEXT, "bad \xff utf-8"}};
    const nb_node_descriptor_t d{{2, 0, 0}, "events.x", "X", "", "", "1.0.0",
                                 nullptr, 0, in, 1, nullptr, 0, widgets, 2, NB_NODE_EVENT_SOURCE};
    const auto v = descriptor_violations(d);
    const auto has = [&v](const std::string &needle) {
        for (const auto &m : v)
            if (m.find(needle) != std::string::npos) return true;
        return false;
    };
    CHECK(has("events.x: descriptor ABI major 2"));
    CHECK(has("category is empty"));
    CHECK(has("not valid UTF-8"));
    CHECK(has("widget 'c': default is not one of its choices"));
    CHECK(has("widget 'n': min is above max"));
    CHECK(has("widget 'n': default is not an integer"));
    CHECK(has("an event source must have no inputs"));
}

TEST_CASE("the ELF reader lists exports and refuses broken images") {
    const std::string image = basic_plugin_image();
    const auto good = elf_exported_symbols(image);
    CHECK(good.error.empty());
    CHECK(good.symbols == std::vector<std::string>{"nb_plugin_entry"});
    CHECK(elf_exported_symbols("").error == "not an ELF file");
    CHECK(elf_exported_symbols("hello world, no ELF here").error == "not an ELF file");
    for (std::size_t cut : {64u, 1000u, 4096u}) {
        INFO("cut at " << cut);
        CHECK_FALSE(elf_exported_symbols(std::string_view(image).substr(0, cut)).error.empty());
    }
}

TEST_CASE("ids must be category.name and versions semantic") {
    const auto violations_for = [](const char *id, const char *version) {
        const nb_node_descriptor_t d{NB_VERSION_INIT, id,      "T",     "", "C", version, nullptr,
                                     0,               nullptr, 0,       nullptr, 0, nullptr, 0, 0};
        return descriptor_violations(d).size();
    };
    for (const char *good : {"events.webhook", "a1.b_2", "x.y"}) {
        INFO(good);
        CHECK(violations_for(good, "1.0.0") == 0);
    }
    for (const char *bad : {"Events.webhook", "events.", ".webhook", "events", "a.b.c", "1a.b", "a.b-c"}) {
        INFO(bad);
        CHECK(violations_for(bad, "1.0.0") == 1);
    }
    for (const char *good : {"0.0.0", "10.20.30", "1.2.3-rc.1", "1.2.3+build.5", "1.2.3-beta+exp.sha"}) {
        INFO(good);
        CHECK(violations_for("a.b", good) == 0);
    }
    for (const char *bad : {"1.0", "01.2.3", "1.2.3.4", "1.2.x", "1.2.3-", "v1.2.3", ""}) {
        INFO(bad);
        CHECK(violations_for("a.b", bad) == 1);
    }
}
