#pragma once

#include <cstdint>
#include <future>
#include <string_view>

#include <nb/async_trigger.h>

#include "../store/append_waiter.hpp"
#include "job.hpp"

namespace nb::host {

// A submit (NB_EXT_ASYNC_TRIGGER) in queue mode: the event goes to the
// broker, and its sender hears ACCEPTED once Redis has it. A worker, here
// or on another host, runs it.
class BrokeredSubmit : public AppendWaiter {
public:
    // `node` (the source's workflow id) and `sink` outlive the waiter.
    BrokeredSubmit(Job job, std::string_view node, const nb_outcome_sink_t &sink) noexcept
        : job_(std::move(job)), node_(node), sink_(sink) {}

    EventRecord record() const override { return job_.event.record(node_); }
    void stored(std::int64_t id) noexcept override;
    void duplicate() noexcept override;
    void full(const char *why) noexcept override;
    void failed(const char *why) noexcept override;

private:
    Job job_;
    std::string_view node_;
    const nb_outcome_sink_t &sink_;
};

}  // namespace nb::host
