#pragma once

#include <cstdint>
#include <string_view>

#include <nb/async_trigger.h>

#include "../store/append_waiter.hpp"
#include "job.hpp"

namespace nb::host {

// A submit (NB_EXT_ASYNC_TRIGGER) waiting for its store (the journal or the
// broker): what it stores, and the outcomes every store tells alike. Each
// store's submit says what being stored means.
class SubmitWaiter : public AppendWaiter {
public:
    // `node` (the source's workflow id) and `sink` outlive the waiter.
    SubmitWaiter(Job job, std::string_view node, const nb_outcome_sink_t &sink) noexcept
        : job_(std::move(job)), node_(node), sink_(sink) {}

    EventRecord record() const override { return job_.event.record(node_); }
    void duplicate() noexcept override;
    void full(const char *why) noexcept override;
    void failed(const char *why) noexcept override;

protected:
    Job job_;
    std::string_view node_;
    const nb_outcome_sink_t &sink_;
};

// A submit in queue mode: its sender hears ACCEPTED once Redis has the
// event. A worker, here or on another host, runs it.
class BrokeredSubmit : public SubmitWaiter {
public:
    using SubmitWaiter::SubmitWaiter;
    void stored(std::int64_t id) noexcept override;
};

}  // namespace nb::host
