#pragma once

#include <cstdint>

#include <nb/descriptor.h>

#include "fake_run.hpp"

namespace nb::conformance {

// A run as a host would build it: every input fed, an event for event sources.
struct PreparedRun {
    PreparedRun(const nb_node_descriptor_t &d, std::uint64_t run_id)
        : event(owned.event()),
          run((d.flags & NB_NODE_EVENT_SOURCE) ? &event : nullptr, run_id) {
        for (uint32_t i = 0; i < d.input_count; ++i) run.inputs[d.inputs[i].name] = "{\"a\":1}";
    }
    nb::test::OwnedEvent owned{"POST", "/", "{\"conformance\":true}",
                               "{\"content-type\":\"application/json\"}", "{}", "127.0.0.1:1"};
    nb_event_t event;
    nb::test::FakeRun run;
};

}  // namespace nb::conformance
