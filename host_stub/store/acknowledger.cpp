#include "acknowledger.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace nb::host {

Acknowledger::Acknowledger(std::filesystem::path wal, bool sync, Forget forget, Done done, Settled settled)
    : wal_(std::move(wal)), sync_(sync), forget_(std::move(forget)), done_(std::move(done)), settled_(std::move(settled)),
      thread_([this] { serve(); }) {}

Acknowledger::~Acknowledger() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
    if (wal_fd_ >= 0)
        ::close(wal_fd_);
}

void Acknowledger::push(Batch batch) noexcept {
    std::unique_lock lock(mutex_);
    try {
        queue_.push_back(std::move(batch));
    } catch (const std::bad_alloc &) {
        // Told here instead, once every earlier batch was: still in order.
        changed_.wait(lock, [this] { return queue_.empty() && !telling_; });
        std::vector<Batch> alone;
        alone.reserve(1);  // may throw as well: nothing is left to try then
        alone.push_back(std::move(batch));
        acknowledge(lock, alone);
        return;
    }
    lock.unlock();
    changed_.notify_all();
}

void Acknowledger::serve() {
    std::vector<Batch> batches;
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_.wait(lock, [this] { return (stopping_ || !queue_.empty()) && !telling_; });
        if (queue_.empty())
            return;  // stopping, and everything told
        batches.swap(queue_);
        acknowledge(lock, batches);
    }
}

void Acknowledger::acknowledge(std::unique_lock<std::mutex> &lock, std::vector<Batch> &batches) {
    telling_ = true;
    lock.unlock();
    tell(batches, make_durable(batches));
    batches.clear();
    lock.lock();
    telling_ = false;
    changed_.notify_all();
}

std::string Acknowledger::make_durable(const std::vector<Batch> &batches) {
    const bool stored = std::any_of(batches.begin(), batches.end(), [](const Batch &batch) {
        return batch.why.empty() && std::any_of(batch.told.begin(), batch.told.end(),
                                                [](const Told &told) { return told.id != 0; });
    });
    if (!sync_ || !stored)
        return {};
    // Our own descriptor: fdatasync flushes the file, whichever descriptor wrote it.
    if (wal_fd_ < 0)
        wal_fd_ = ::open(wal_.c_str(), O_RDONLY | O_CLOEXEC);
    if (wal_fd_ < 0 || ::fdatasync(wal_fd_) != 0)
        return std::string("the journal could not sync ") + wal_.string() + ": " + std::strerror(errno);
    return {};
}

void Acknowledger::tell(std::vector<Batch> &batches, const std::string &sync_error) {
    for (Batch &batch : batches) {
        const std::string &why = batch.why.empty() ? sync_error : batch.why;
        for (Told &told : batch.told) {
            if (!why.empty()) {
                // Committed but perhaps not on the disk: refused, so it must not run later.
                if (batch.why.empty() && told.id != 0)
                    forget_(told.id);
                told.waiter->failed(why.c_str());
            } else if (told.id != 0) {
                told.waiter->stored(told.id);
            } else {
                told.waiter->duplicate();
            }
            told.waiter.reset();
        }
        if (settled_) settled_(batch, why);
        done_(batch.operations);
    }
}

}  // namespace nb::host
