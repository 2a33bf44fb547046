#include "submissions.hpp"

#include <algorithm>

#include "outcomes.hpp"

namespace nb::host {
namespace {

constexpr nb_outcome_t kAccepted = outcome_of(NB_OUTCOME_ACCEPTED);
// However slow the workers, no paced ACCEPTED waits longer than this many
// pace_waits (100 ms by default): the answer stays well inside any
// sender's timeout, and inside the node's shortest response_timeout_s.
constexpr int kMaxPacedWaits = 100;
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
      pace_depth_(limits.pace_depth),
      pace_wait_(limits.pace_wait),
      nodes_(nodes),
      queue_(workers, limits, std::move(handler), std::move(on_error), [this] { room_freed(); }),
      admitter_([this] { admit(); }) {}

Submissions::~Submissions() { close(); }

void Submissions::submit(Job job, const nb_outcome_sink_t &sink) noexcept {
    // The common case takes no lock of ours: nothing held to overtake,
    // nothing to await or pace, so nothing is owed once this returns.
    if (!job.awaited && held_count_ == 0 && !nodes_[job.source].stopping &&
        queue_.waiting() < pace_depth_) {
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
            const NodeIndex source = job.source;
            const bool awaited = job.awaited;
            const bool paced = !awaited && queue_.waiting() >= pace_depth_;
            // Listed before the push: the worker that ends an awaited run
            // finds it, since it needs this lock to look.
            const auto entry = node.owed.emplace(run_id, Owed{&sink, Stage::awaited}).first;
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
                entry->second.stage = Stage::held;
                held_count_ = held_.size();
                changed_ = true;
                admitter_wake_.notify_one();
            } else if (pushed == NB_TRIGGER_FAILED) {
                node.owed.erase(entry);
                now = &kShuttingDown;
            } else if (!awaited && !(paced && pace(entry, source, run_id))) {
                node.owed.erase(entry);
                now = &kAccepted;
            }
        }
    }
    if (now) sink.deliver(&sink, now);
}

bool Submissions::pace(std::unordered_map<std::uint64_t, Owed>::iterator entry, NodeIndex node,
                       std::uint64_t run_id) noexcept {
    try {
        const auto now = std::chrono::steady_clock::now();
        paced_.push_back(Paced{node, run_id, now + pace_wait_, now + kMaxPacedWaits * pace_wait_});
    } catch (...) {
        return false;  // accepted all the same, told at once
    }
    entry->second.stage = Stage::paced;
    paced_count_ = paced_.size();
    if (paced_.size() == 1) {  // the admitter's next deadline may be this one
        changed_ = true;
        admitter_wake_.notify_one();
    }
    return true;
}

void Submissions::admit() {
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_ = false;
        const auto now = std::chrono::steady_clock::now();
        if (!paced_.empty() && (closing_ || paced_.front().overdue <= now ||
                                std::max(paced_.front().deadline, next_timed_release_) <= now)) {
            next_timed_release_ = now + pace_wait_;
            tell_oldest_paced(lock);
            continue;
        }
        if (!held_.empty()) {
            Held &head = held_.front();
            const NodeIndex node = head.job.source;
            const std::uint64_t run_id = head.job.run_id;
            const bool awaited = head.job.awaited;
            const nb_outcome_t *refusal = closing_ ? &kShuttingDown : head.deadline <= now ? &kQueueFull : nullptr;
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
                    nodes_[node].owed.at(run_id).stage = Stage::awaited;  // its run owes it now
                } else {
                    deliver(lock, take(node, run_id, refusal ? *refusal : kAccepted));
                }
                continue;  // the next one, or whatever changed while delivering
            }
        }
        if (closing_ && held_.empty() && paced_.empty()) return;
        if (changed_) continue;
        constexpr auto kNever = std::chrono::steady_clock::time_point::max();
        auto until = kNever;
        if (!held_.empty()) until = held_.front().deadline;
        if (!paced_.empty()) {
            const Paced &head = paced_.front();
            until = std::min({until, head.overdue, std::max(head.deadline, next_timed_release_)});
        }
        const auto woken = [this] { return changed_ || closing_; };
        if (until == kNever) {
            admitter_wake_.wait(lock, woken);
        } else {
            admitter_wake_.wait_until(lock, until, woken);
        }
    }
}

void Submissions::room_freed() {
    if (paced_count_ != 0 && queue_.waiting() <= pace_depth_ / 2) {
        // The workers have caught up: every paced submission is told at
        // once, so their senders' next requests reach the loops together
        // and are read in one batch, not one wake-up each.
        std::unique_lock lock(mutex_);
        while (!paced_.empty()) tell_oldest_paced(lock);
    }
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
    // Held ones leave the FIFO: they will never run. Paced ones leave theirs:
    // told ACCEPTED now, they run. Their entries stay, marked.
    held_.erase(std::remove_if(held_.begin(), held_.end(),
                               [index](const Held &held) { return held.job.source == index; }),
                held_.end());
    held_count_ = held_.size();
    paced_.erase(std::remove_if(paced_.begin(), paced_.end(),
                                [index](const Paced &paced) { return paced.node == index; }),
                 paced_.end());
    paced_count_ = paced_.size();
    while (!node.owed.empty()) {
        const auto &[run_id, owed] = *node.owed.begin();
        const nb_outcome_t &outcome = owed.stage == Stage::held    ? kCancelledHeld
                                      : owed.stage == Stage::paced ? kAccepted
                                                                   : kCancelledAccepted;
        deliver(lock, take(index, run_id, outcome));
    }
    delivered_.wait(lock, [&node] { return node.delivering == 0; });
}

void Submissions::close() noexcept {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
    }
    admitter_wake_.notify_all();
    if (admitter_.joinable()) admitter_.join();  // every held one refused, every paced one told
    queue_.close();
}

void Submissions::tell_oldest_paced(std::unique_lock<std::mutex> &lock) {
    const Paced oldest = paced_.front();
    paced_.pop_front();
    paced_count_ = paced_.size();
    deliver(lock, take(oldest.node, oldest.run_id, kAccepted));
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
