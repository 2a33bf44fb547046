// No C++ exception may cross the ABI: a host written in C, or a C++ host
// calling through a C function pointer, has nothing to catch it with, and the
// process ends. Each function is called once under a catch so that the
// report names the node type and the function instead of crashing.
#include <doctest/doctest.h>

#include "abi_exception_probe.hpp"
#include "conformance_config.hpp"
#include "plugin_under_test.hpp"

using namespace nb::conformance;

TEST_CASE("no C++ exception crosses the ABI") {
    for (const auto &path : config().plugins) {
        const auto p = load_plugin(path);
        if (!p.library) continue;  // reported by the loading rule, with an exception from init
        const auto &entry = p.library->entry();
        for (const auto &call : probe_entry(entry))
            CHECK_MESSAGE(call.exception.empty(), path.string() << ": the entry's " << call.call
                                                                << " threw a C++ exception across the ABI: "
                                                                << call.exception);
        for (const auto *d : p.library->descriptors())
            for (const auto &call : probe_node_type(entry, *d))
                CHECK_MESSAGE(call.exception.empty(), text(d->id) << ": " << call.call
                                                                  << " threw a C++ exception across the ABI: "
                                                                  << call.exception << "; the other rules skip "
                                                                  << text(d->id));
    }
}
