#pragma once

#include <cstdint>
#include <future>
#include <string_view>

#include <nb/async_trigger.h>

#include "../store/journal.hpp"
#include "job.hpp"
#include "submit_waiter.hpp"
#include "submissions.hpp"

namespace nb::host {

// A submit (NB_EXT_ASYNC_TRIGGER) with a journal: the event is committed
// first, then handed to Submissions, so its ACCEPTED (or its run's outcome)
// comes only after the commit. A duplicate or a failed commit is told to the
// sink at once. A stored event that Submissions refuses after all (queue
// full past the hold, shutting down, node stopping) is forgotten by the
// journal before its sender hears 503: the journal applies that before any
// later append, so a retry of its delivery id is not taken for a duplicate.
class StoredSubmit : public SubmitWaiter {
public:
    // `node` (the source's workflow id) and `sink` outlive the waiter; so do
    // `submissions` and `journal`.
    StoredSubmit(Submissions &submissions, Journal &journal, Job job, std::string_view node,
                 const nb_outcome_sink_t &sink) noexcept
        : SubmitWaiter(std::move(job), node, sink), submissions_(submissions), journal_(journal) {}

    void stored(std::int64_t id) noexcept override;

private:
    Submissions &submissions_;
    Journal &journal_;
};

// The 1.0 trigger with a journal: its caller waits for the commit.
class StoredTrigger : public AppendWaiter {
public:
    enum class Result { stored, duplicate, failed };
    // `job` and `node` outlive the waiter (the caller waits on `result`).
    StoredTrigger(const Job &job, std::string_view node, std::promise<std::pair<Result, std::int64_t>> result)
        : job_(job), node_(node), result_(std::move(result)) {}

    EventRecord record() const override { return job_.event.record(node_); }
    void stored(std::int64_t id) noexcept override { tell(Result::stored, id); }
    void duplicate() noexcept override { tell(Result::duplicate, 0); }
    void failed(const char *) noexcept override { tell(Result::failed, 0); }

private:
    void tell(Result result, std::int64_t id) noexcept;

    const Job &job_;
    std::string_view node_;
    std::promise<std::pair<Result, std::int64_t>> result_;
};

}  // namespace nb::host
