#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "conformance_config.hpp"
#include "check_host.hpp"
#include "fake_run.hpp"
#include "plugin_under_test.hpp"

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

// Calls execute (inputs empty) as a host does, telling the fake host while
// it is in progress: a reply is the run's only from inside its execute.
nb_status_t execute_tracked(nb::test::FakeHost &host, const nb_node_t *node) {
    const nb::test::FakeRun run;
    host.enter_execute(run.run());
    const nb_status_t status = node->execute(node, run.run());
    host.leave_execute(run.run());
    return status;
}

}  // namespace

TEST_CASE("instances can be created and destroyed many times without growing memory") {
    CheckHost host;
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
    CheckHost host;
    for (const auto &path : config().plugins) {
        const auto p = load_plugin(path);
        if (!p.library) continue;
        CHECK(p.library->entry().create_node("no_such.node_type", "x", host.host()) == nullptr);
    }
}

TEST_CASE("set_widget refuses unknown widgets and bad values and keeps the previous value") {
    CheckHost host;
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
    CheckHost host;
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

// NB_EXT_RUN_REPLY: set_reply names the run it answers, and that run exists
// for the host only during its execute; a reply from anywhere else (start,
// stop, destroy, another thread later) would answer a caller at random.
TEST_CASE("a node sets a run's reply only inside that run's execute") {
    for_each_node_type([&](const nb_plugin_entry_t &entry, const nb_node_descriptor_t &d) {
        CheckHost host;
        host.offer_run_reply(NB_REPLY_SET);
        {
            Instance node(entry, d, host.host());
            REQUIRE(node);
            use_free_port(node.get(), d);
            REQUIRE_MESSAGE(node->start(node.get()) == NB_OK, text(node->last_error(node.get())));
            execute_tracked(host, node.get());
            node->stop(node.get());
        }  // destroyed here: a reply from destroy counts too
        for (const auto &reply : host.replies())
            CHECK_MESSAGE(reply.during_execute, "set_reply (status " << reply.status
                                                    << ") was called outside an execute of its run");
    });
}

// The first reply of a run wins; a node whose reply the host refused as
// NB_REPLY_ALREADY_SET did not do its job, and must say so.
TEST_CASE("a node whose reply was already set fails its execute with a message") {
    for_each_node_type([&](const nb_plugin_entry_t &entry, const nb_node_descriptor_t &d) {
        CheckHost host;
        host.offer_run_reply(NB_REPLY_ALREADY_SET);
        Instance node(entry, d, host.host());
        REQUIRE(node);
        const nb_status_t status = execute_tracked(host, node.get());
        if (host.replies().empty()) return;  // it never replies: nothing to check
        CHECK_MESSAGE(status != NB_OK, "execute returned NB_OK though set_reply answered NB_REPLY_ALREADY_SET");
        const char *error = node->last_error(node.get());
        CHECK_MESSAGE((error && *error), "execute failed after NB_REPLY_ALREADY_SET with no last_error");
    });
}
