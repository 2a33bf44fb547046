#pragma once

#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

namespace nb::webhook {

// last_error storage of one instance. The ABI reads it on "the thread of the
// failed call", and execute (worker thread) may fail while a main-thread call
// fails too: each thread gets its own slot, so neither overwrites the text
// the other is about to read.
class ErrorSlots {
public:
    void set(std::string message) {
        std::lock_guard lock(mutex_);
        slots_[std::this_thread::get_id()] = std::move(message);
    }

    // The calling thread's last message, "" if none. Stays valid until that
    // thread's next set(): unordered_map nodes never move.
    const char *get() const {
        std::lock_guard lock(mutex_);
        const auto it = slots_.find(std::this_thread::get_id());
        return it == slots_.end() ? "" : it->second.c_str();
    }

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::thread::id, std::string> slots_;
};

}  // namespace nb::webhook
