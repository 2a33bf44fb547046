#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include <nb/async_trigger.h>

#include "job.hpp"
#include "run_queue.hpp"

namespace nb::host {

// How events enter the run queue, which it owns: the 1.0 trigger's push,
// which may wait, and NB_EXT_ASYNC_TRIGGER's submit, which never does and
// owes each submit one outcome, delivered exactly once.
//
// Owed outcomes. Every submit whose outcome is not delivered yet is listed
// under its node, by run id, with its sink: one held for room, one paced, or
// one queued or running with NB_SUBMIT_AWAIT_RUN. Whoever removes the entry
// under the lock (the admitter, a worker, cancel_pending, close) delivers it,
// so each is delivered once whatever the race. An outcome delivered at once
// on the submitting thread is never listed.
//
// Paced submissions. A submit that finds QueueLimits::pace_depth runs
// waiting is queued (it will run) but its ACCEPTED is held, in FIFO order,
// until the workers have taken the queue down to half that depth (then every
// paced one is told at once, by the worker that took the run), or, once the
// oldest has waited QueueLimits::pace_wait, by the admitter, at most one per
// pace_wait: the 1.0 trigger's pacing, whose waiting event loop let events in
// as runs were taken or once per pace_wait, without its wait. Senders wait
// for their answers, so they slow to the workers' pace while the event loop
// serves others; the backlog stays short, and with it the whole scheduler
// slices that workers catching up would take from the loops. Told together,
// the senders' next requests are read in one batch. With every worker stuck,
// paced answers trickle out one per pace_wait, none later than 100
// pace_waits after its submit; the queue's capacity bounds how many wait
// (then submits are held, as above).
// cancel_pending and close deliver a paced one ACCEPTED: it is queued.
//
// Held submissions. A submit that finds the queue full is held (no thread
// waits for it) for `hold_wait`, in FIFO order; so is any submit while others
// are held, so none overtakes them. One admitter thread moves the oldest into
// the queue each time a worker frees room (RunQueue's room handler) and
// refuses each one whose wait is over, with a timed wait of its own: a held
// submission is refused on time even while every worker is stuck in a run.
//
// cancel_pending(node), how: under the lock the node is marked stopping (its
// submits are refused from then on) and every entry it is owed is taken out
// (held ones leave the FIFO and never run); they are delivered CANCELLED on
// the calling thread; then it waits until the node's deliveries that other
// threads took out before it have returned (a count per node, decremented
// under the lock after each deliver).
class Submissions {
public:
    // `nodes`: how many nodes the workflow has (NodeIndex < nodes).
    // `handler` and `on_error` as RunQueue's.
    Submissions(std::size_t nodes, std::size_t workers, QueueLimits limits,
                std::chrono::milliseconds hold_wait, RunQueue<Job>::Handler handler,
                RunQueue<Job>::ErrorHandler on_error);
    ~Submissions();
    Submissions(const Submissions &) = delete;
    Submissions &operator=(const Submissions &) = delete;

    // [thread-safe] The 1.0 trigger: paced, waits for room (QueueLimits).
    nb_trigger_result_t push(Job job) { return queue_.push(job); }
    // [thread-safe] Runs waiting in the queue for a worker.
    std::size_t waiting() const noexcept { return queue_.waiting(); }
    // [thread-safe] A run accepted long ago (replayed, retried): waits for
    // room however long it takes. ACCEPTED, or FAILED once closed.
    nb_trigger_result_t requeue(Job job) {
        nb_trigger_result_t queued;
        while ((queued = queue_.push(job)) == NB_TRIGGER_QUEUE_FULL) {
        }
        return queued;
    }

    // [thread-safe] Never blocks on the queue or on runs. `sink` is borrowed
    // until its deliver is called, which may be before submit returns.
    void submit(Job job, const nb_outcome_sink_t &sink) noexcept;

    // [worker-thread] The end of the awaited run of `job`: its outcome, for
    // the call only, unless cancel_pending or close delivered one already.
    void finish(const Job &job, const nb_outcome_t &outcome) noexcept;

    // [main-thread] As nb_host_async_trigger.cancel_pending, for `node`.
    void cancel_pending(NodeIndex node) noexcept;

    // [main-thread] Refuses the held submissions (SHUTTING_DOWN), then drains
    // the queue: every accepted run runs, and awaited ones are delivered.
    // Idempotent.
    void close() noexcept;

private:
    struct Held {
        Job job;
        std::chrono::steady_clock::time_point deadline;
    };
    struct Paced {
        NodeIndex node;
        std::uint64_t run_id;
        std::chrono::steady_clock::time_point deadline;  // pace_wait after submit
        std::chrono::steady_clock::time_point overdue;   // told then, whatever the rate
    };
    enum class Stage {
        held,     // in held_: not accepted
        paced,    // queued, in paced_: ACCEPTED owed
        awaited,  // queued or running: its run's end owed
    };
    struct Owed {
        const nb_outcome_sink_t *sink;
        Stage stage;
    };
    struct NodeState {
        std::unordered_map<std::uint64_t, Owed> owed;  // by run id
        std::size_t delivering = 0;  // taken out by another thread, deliver not returned yet
        std::atomic<bool> stopping{false};
    };
    // An owed outcome taken out under the lock, to deliver outside it.
    struct Delivery {
        NodeIndex node;
        const nb_outcome_sink_t *sink;
        const nb_outcome_t *outcome;
    };

    // submit's path when the queue is full, others are held, or the run is awaited.
    void hold_or_queue(Job &job, const nb_outcome_sink_t &sink);
    // The admitter thread.
    void admit();
    // The run queue's room handler.
    void room_freed();
    // Under the lock: the paced submission `queue_` just accepted, listed
    // under `entry`; false when out of memory (then nothing is listed).
    bool pace(std::unordered_map<std::uint64_t, Owed>::iterator entry, NodeIndex node,
              std::uint64_t run_id) noexcept;
    // Under the lock: takes run `run_id` of `node` out of the owed entries,
    // counted as delivering.
    Delivery take(NodeIndex node, std::uint64_t run_id, const nb_outcome_t &outcome);
    // Releases `lock` while delivering, then counts the delivery returned.
    void deliver(std::unique_lock<std::mutex> &lock, const Delivery &delivery);
    // Under `lock`, paced_ not empty: its oldest leaves it and is told
    // ACCEPTED (deliver releases the lock meanwhile).
    void tell_oldest_paced(std::unique_lock<std::mutex> &lock);

    const std::chrono::milliseconds hold_wait_;
    const std::size_t pace_depth_;
    const std::chrono::microseconds pace_wait_;
    std::mutex mutex_;
    std::condition_variable admitter_wake_;  // changed_ or closing_ set
    std::condition_variable delivered_;      // a NodeState::delivering went down
    std::vector<NodeState> nodes_;
    std::deque<Held> held_;
    std::atomic<std::size_t> held_count_{0};  // held_.size(), read without the lock
    std::deque<Paced> paced_;                 // by deadline
    std::chrono::steady_clock::time_point next_timed_release_{};  // the admitter's next, at the earliest
    std::atomic<std::size_t> paced_count_{0};  // paced_.size(), read without the lock
    bool changed_ = false;  // room freed, a submission held or the first paced
    bool closing_ = false;
    RunQueue<Job> queue_;  // after what its room handler uses; joined in close
    std::thread admitter_;  // last: started once everything it uses exists
};

}  // namespace nb::host
