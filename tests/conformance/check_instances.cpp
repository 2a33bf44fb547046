#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "conformance_config.hpp"
#include "plugin_under_test.hpp"
#include "fake_host.hpp"

using namespace nb::conformance;

namespace {

std::string widget_value(const nb_node_t *node, const char *name) {
    const char *v = node->get_widget(node, name);
    return v ? v : "<NULL>";
}

// Values no widget of this kind may take.
std::vector<std::string> bad_values(const nb_widget_desc_t &w) {
    switch (w.kind) {
    case NB_WIDGET_NUMBER: {
        std::vector<std::string> v{"", "abc", "12abc", "1.5", "99999999999999999999999"};
        if (w.min > INT64_MIN) v.push_back(std::to_string(w.min - 1));
        if (w.max < INT64_MAX) v.push_back(std::to_string(w.max + 1));
        return v;
    }
    case NB_WIDGET_CHOICE:
        return {"", "not-one-of-the-choices"};
    default:
        return {};
    }
}

}  // namespace

TEST_CASE("instances can be created and destroyed many times without growing memory") {
    nb::test::FakeHost host;
    for_each_node_type([&](const nb_plugin_entry_t &entry, const nb_node_descriptor_t &d) {
        const auto cycle = [&] {
            Instance node(entry, d, host.host());
            REQUIRE_MESSAGE(node, "create_node returned NULL for its own type");
            CHECK(node->descriptor == &d);
        };
        for (int i = 0; i < 300; ++i) cycle();  // let allocators settle
        const std::size_t before = resident_bytes();
        for (int i = 0; i < 3000; ++i) cycle();
        const std::size_t after = resident_bytes();
        CHECK_MESSAGE(after <= before + 2 * 1024 * 1024,
                      "resident memory grew by " << (after - before) / 1024
                                                 << " KiB over 3000 create/destroy cycles");
    });
}

TEST_CASE("create_node refuses an unknown node type with NULL") {
    nb::test::FakeHost host;
    for (const auto &path : config().plugins) {
        const auto p = load_plugin(path);
        if (!p.library) continue;
        CHECK(p.library->entry().create_node("no_such.node_type", "x", host.host()) == nullptr);
    }
}

TEST_CASE("set_widget refuses unknown widgets and bad values and keeps the previous value") {
    nb::test::FakeHost host;
    for_each_node_type([&](const nb_plugin_entry_t &entry, const nb_node_descriptor_t &d) {
        Instance node(entry, d, host.host());
        REQUIRE(node);
        CHECK(node->set_widget(node.get(), "no_such_widget", "1") == NB_ERR_UNKNOWN);
        CHECK_MESSAGE(!text(node->last_error(node.get())).empty(),
                      "no message for an unknown widget");
        CHECK(node->get_widget(node.get(), "no_such_widget") == nullptr);
        for (uint32_t i = 0; i < d.widget_count; ++i) {
            const auto &w = d.widgets[i];
            INFO("widget: " << text(w.name));
            CHECK_MESSAGE(widget_value(node.get(), w.name) == w.default_value,
                          "a new instance does not hold the widget's default");
            CHECK_MESSAGE(node->set_widget(node.get(), w.name, w.default_value) == NB_OK,
                          "refused its own default: " << text(node->last_error(node.get())));
            for (const auto &bad : bad_values(w)) {
                INFO("value: '" << bad << "'");
                CHECK(node->set_widget(node.get(), w.name, bad.c_str()) == NB_ERR_INVALID);
                CHECK_MESSAGE(!text(node->last_error(node.get())).empty(),
                              "refused without a message");
                CHECK_MESSAGE(widget_value(node.get(), w.name) == w.default_value,
                              "a refused value replaced the previous one");
            }
        }
    });
}

TEST_CASE("stop without start and a second stop are harmless; a second start is refused") {
    nb::test::FakeHost host;
    for_each_node_type([&](const nb_plugin_entry_t &entry, const nb_node_descriptor_t &d) {
        Instance node(entry, d, host.host());
        REQUIRE(node);
        use_free_port(node.get(), d);
        node->stop(node.get());
        node->stop(node.get());
        REQUIRE_MESSAGE(node->start(node.get()) == NB_OK,
                        "start failed: " << text(node->last_error(node.get())));
        if (d.flags & NB_NODE_EVENT_SOURCE) {
            CHECK(node->start(node.get()) == NB_ERR_STATE);
            CHECK_MESSAGE(!text(node->last_error(node.get())).empty(),
                          "a second start refused without a message");
        }
        node->stop(node.get());
        node->stop(node.get());
    });
}
