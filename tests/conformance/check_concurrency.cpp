#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "conformance_config.hpp"
#include "plugin_under_test.hpp"
#include "prepared_run.hpp"
#include "check_host.hpp"

using namespace nb::conformance;

TEST_CASE("execute is safe on several threads at once, one instance each") {
    constexpr int threads = 4;
    constexpr int runs = 200;
    CheckHost host;
    for_each_node_type([&](const nb_plugin_entry_t &entry, const nb_node_descriptor_t &d) {
        std::vector<std::unique_ptr<Instance>> nodes;
        for (int t = 0; t < threads; ++t) {
            nodes.push_back(std::make_unique<Instance>(entry, d, host.host()));
            REQUIRE(*nodes.back());
        }
        // What one execute answers alone is what it must answer under load.
        const nb_status_t expected = [&] {
            PreparedRun prepared(d, 1);
            return (*nodes[0])->execute(nodes[0]->get(), prepared.run.run());
        }();
        std::atomic<int> mismatches{0};
        std::atomic<int> thrown{0};
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t) {
            pool.emplace_back([&, t] {
                const nb_node_t *node = nodes[static_cast<std::size_t>(t)]->get();
                for (int i = 0; i < runs; ++i) {
                    PreparedRun prepared(d, static_cast<std::uint64_t>(t * runs + i + 2));
                    // The probe found none alone; one escaping here would end the process.
                    try {
                        if (node->execute(node, prepared.run.run()) != expected) ++mismatches;
                    } catch (...) {
                        ++thrown;
                    }
                }
            });
        }
        for (auto &th : pool) th.join();
        CHECK_MESSAGE(mismatches == 0, mismatches << " concurrent executes answered other than "
                                                  << "a lone one (" << expected << ")");
        CHECK_MESSAGE(thrown == 0, thrown << " concurrent executes threw a C++ exception across the ABI");
    });
}

TEST_CASE("an event source's execute turns the event it is given into outputs") {
    CheckHost host;
    for_each_node_type([&](const nb_plugin_entry_t &entry, const nb_node_descriptor_t &d) {
        if (!(d.flags & NB_NODE_EVENT_SOURCE)) return;
        Instance node(entry, d, host.host());
        REQUIRE(node);
        PreparedRun prepared(d, 1);
        CHECK_MESSAGE(node->execute(node.get(), prepared.run.run()) == NB_OK,
                      text(node->last_error(node.get())));
        CHECK_MESSAGE(!prepared.run.outputs.empty(), "execute with an event set no output");
    });
}
