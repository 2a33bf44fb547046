#include "submissions.hpp"

#include <algorithm>

#include "outcomes.hpp"

namespace nb::host {
namespace {

constexpr nb_outcome_t kAccepted = outcome_of(NB_OUTCOME_ACCEPTED);
constexpr nb_outcome_t kQueueFull =
    refused(NB_REFUSED_QUEUE_FULL, "nb-host's run queue had no room for the event within its wait");
constexpr nb_outcome_t kShuttingDown = refused(NB_REFUSED_SHUTTING_DOWN, "nb-host is shutting down");
constexpr nb_outcome_t kNodeStopping =
    refused(NB_REFUSED_NODE_STOPPING, "the node is stopping: its cancel_pending has begun");
constexpr nb_outcome_t kStoreFailing =
    refused(NB_REFUSED_STORE_FAILING, "nb-host could not keep the event (out of memory)");
constexpr nb_outcome_t kCancelledHeld = cancelled(false);
constexpr nb_outcome_t kCancelledAccepted = cancelled(true);

}  // namespace

Submissions::Submissions(std::size_t nodes, std::size_t workers, QueueLimits limits,
                         std::chrono::milliseconds hold_wait, RunQueue<Job>::Handler handler,
                         RunQueue<Job>::ErrorHandler on_error)
    : hold_wait_(hold_wait),
      nodes_(nodes),
      queue_(workers, limits, std::move(handler), std::move(on_error), [this] { room_freed(); }),
      admitter_([this] { admit(); }) {}

Submissions::~Submissions() { close(); }

void Submissions::submit(Job job, const nb_outcome_sink_t &sink) noexcept {
    // The common case takes no lock of ours: nothing held to overtake,
    // nothing to await, so nothing is owed once this returns.
    if (!job.awaited && held_count_ == 0 && !nodes_[job.source].stopping) {
        switch (queue_.try_push(job)) {
        case NB_TRIGGER_ACCEPTED: return sink.deliver(&sink, &kAccepted);
        case NB_TRIGGER_FAILED: return sink.deliver(&sink, &kShuttingDown);
        case NB_TRIGGER_QUEUE_FULL: break;
        }
    }
    try {
        hold_or_queue(job, sink);
    } catch (...) {
        // Thrown before anything was kept (hold_or_queue undoes its entry).
        sink.deliver(&sink, &kStoreFailing);
    }
}

void Submissions::hold_or_queue(Job &job, const nb_outcome_sink_t &sink) {
    const nb_outcome_t *now = nullptr;  // delivered at once, outside the lock
    {
        std::lock_guard lock(mutex_);
        NodeState &node = nodes_[job.source];
        if (closing_) {
            now = &kShuttingDown;
        } else if (node.stopping) {
            now = &kNodeStopping;
        } else {
            const std::uint64_t run_id = job.run_id;
            const bool awaited = job.awaited;
            // Listed before the push: the worker that ends an awaited run
            // finds it, since it needs this lock to look.
            const auto entry = node.owed.emplace(run_id, Owed{&sink, false}).first;
            nb_trigger_result_t pushed = NB_TRIGGER_QUEUE_FULL;
            try {  // a bad_alloc leaves nothing owed: submit refuses it
                if (held_.empty()) pushed = queue_.try_push(job);
                if (pushed == NB_TRIGGER_QUEUE_FULL) {
                    held_.push_back(Held{std::move(job), std::chrono::steady_clock::now() + hold_wait_});
                }
            } catch (...) {
                node.owed.erase(entry);
                throw;
            }
            if (pushed == NB_TRIGGER_QUEUE_FULL) {
                entry->second.held = true;
                held_count_ = held_.size();
                changed_ = true;
                admitter_wake_.notify_one();
            } else if (pushed == NB_TRIGGER_FAILED || !awaited) {
                node.owed.erase(entry);
                now = pushed == NB_TRIGGER_FAILED ? &kShuttingDown : &kAccepted;
            }
        }
    }
    if (now) sink.deliver(&sink, now);
}

void Submissions::admit() {
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_ = false;
        if (!held_.empty()) {
            Held &head = held_.front();
            const NodeIndex node = head.job.source;
            const std::uint64_t run_id = head.job.run_id;
            const bool awaited = head.job.awaited;
            const nb_outcome_t *refusal = closing_ ? &kShuttingDown
                                          : head.deadline <= std::chrono::steady_clock::now() ? &kQueueFull
                                                                                              : nullptr;
            nb_trigger_result_t pushed = NB_TRIGGER_FAILED;
            try {
                if (!refusal) pushed = queue_.try_push(head.job);
            } catch (...) {
                refusal = &kStoreFailing;  // out of memory queueing it: refused, not lost
            }
            if (pushed != NB_TRIGGER_QUEUE_FULL) {
                held_.pop_front();
                held_count_ = held_.size();
                if (pushed == NB_TRIGGER_FAILED && !refusal) refusal = &kShuttingDown;
                if (!refusal && awaited) {
                    nodes_[node].owed.at(run_id).held = false;  // its run owes it now
                } else {
                    deliver(lock, take(node, run_id, refusal ? *refusal : kAccepted));
                }
                continue;  // the next one, or whatever changed while delivering
            }
        }
        if (closing_ && held_.empty()) return;
        if (changed_) continue;
        if (held_.empty()) {
            admitter_wake_.wait(lock, [this] { return changed_ || closing_; });
        } else {
            admitter_wake_.wait_until(lock, held_.front().deadline, [this] { return changed_ || closing_; });
        }
    }
}

void Submissions::room_freed() {
    if (held_count_ == 0) return;
    {
        std::lock_guard lock(mutex_);
        changed_ = true;
    }
    admitter_wake_.notify_one();
}

void Submissions::finish(const Job &job, const nb_outcome_t &outcome) noexcept {
    std::unique_lock lock(mutex_);
    if (nodes_[job.source].owed.count(job.run_id) == 0) return;  // cancelled: discarded
    deliver(lock, take(job.source, job.run_id, outcome));
}

void Submissions::cancel_pending(NodeIndex index) noexcept {
    std::unique_lock lock(mutex_);
    NodeState &node = nodes_[index];
    node.stopping = true;  // nothing is added to node.owed from here on
    // Held ones leave the FIFO: they will never run. Their entries stay, marked held.
    held_.erase(std::remove_if(held_.begin(), held_.end(),
                               [index](const Held &held) { return held.job.source == index; }),
                held_.end());
    held_count_ = held_.size();
    while (!node.owed.empty()) {
        const auto &[run_id, owed] = *node.owed.begin();
        const Delivery cancel = take(index, run_id, owed.held ? kCancelledHeld : kCancelledAccepted);
        deliver(lock, cancel);
    }
    delivered_.wait(lock, [&node] { return node.delivering == 0; });
}

void Submissions::close() noexcept {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
    }
    admitter_wake_.notify_all();
    if (admitter_.joinable()) admitter_.join();  // every held one refused
    queue_.close();
}

Submissions::Delivery Submissions::take(NodeIndex node, std::uint64_t run_id, const nb_outcome_t &outcome) {
    NodeState &state = nodes_[node];
    const Delivery delivery{node, state.owed.at(run_id).sink, &outcome};
    state.owed.erase(run_id);
    ++state.delivering;
    return delivery;
}

void Submissions::deliver(std::unique_lock<std::mutex> &lock, const Delivery &delivery) {
    lock.unlock();
    delivery.sink->deliver(delivery.sink, delivery.outcome);
    lock.lock();
    if (--nodes_[delivery.node].delivering == 0) delivered_.notify_all();
}

}  // namespace nb::host
