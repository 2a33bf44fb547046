#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "../workflow/workflow.hpp"
#include "tally.hpp"

namespace nb::host {

// What a stop that does not wait for the drain leaves behind, for its message
// (docs/nb-host.md, "Shutdown"): how many accepted events are still owed
// their run, and which node each run in progress is executing. Read from any
// thread while the workers go on, so a run blocked in a plugin is seen.
class Unfinished {
public:
    // [worker-thread] One run in progress, listed while alive.
    class Run {
    public:
        Run(Unfinished &owner, std::uint64_t run_id);
        ~Run();
        Run(const Run &) = delete;
        Run &operator=(const Run &) = delete;

        // [worker-thread] `node` executes now; nullptr: none (between nodes,
        // or waiting for one that another run executes).
        void executing(const WorkflowNode *node) noexcept { node_.store(node, std::memory_order_release); }

    private:
        friend class Unfinished;
        Unfinished &owner_;
        const std::uint64_t run_id_;
        std::atomic<const WorkflowNode *> node_{nullptr};
    };

    struct Executing {
        std::uint64_t run_id;
        std::string node;  // its workflow id
        std::string type;  // its node type
    };

    // [thread-safe] Held by a job from its making to its end, moved along to
    // the job of its retry: one event owed its run.
    Tally owe() noexcept { return Tally(events_, 1); }

    // [thread-safe] How many events are owed their run now.
    std::uint64_t events() const noexcept { return events_.load(std::memory_order_relaxed); }
    // [thread-safe] The nodes executing now, by run id. A listed run is alive,
    // so its workflow is too: the nodes are read under the lock that keeps it
    // listed.
    std::vector<Executing> executing() const;

private:
    std::atomic<std::uint64_t> events_{0};
    mutable std::mutex mutex_;
    std::vector<const Run *> runs_;
};

}  // namespace nb::host
