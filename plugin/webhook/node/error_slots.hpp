#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include <nb/status.h>

#include "json_text.hpp"

namespace nb::webhook {

// last_error storage of one instance. The ABI reads it on "the thread of the
// failed call", and execute (worker thread) may fail while a main-thread call
// fails too: each thread gets its own slot, so neither overwrites the text
// the other is about to read. Every message names the node, as a host shows
// it beside others.
class ErrorSlots {
public:
    explicit ErrorSlots(std::string_view node_id)
        : prefix_("node " + json_string(node_id) + ": ") {}

    // Records `message` for the calling thread and returns `status`.
    nb_status_t fail(nb_status_t status, std::string_view message) {
        std::string text = prefix_;
        text += message;
        std::lock_guard lock(mutex_);
        slots_[std::this_thread::get_id()] = std::move(text);
        return status;
    }

    // The calling thread's last message, "" if none. Stays valid until that
    // thread's next set(): unordered_map nodes never move.
    const char *get() const {
        std::lock_guard lock(mutex_);
        const auto it = slots_.find(std::this_thread::get_id());
        return it == slots_.end() ? "" : it->second.c_str();
    }

private:
    const std::string prefix_;  // node "<id>":
    mutable std::mutex mutex_;
    std::unordered_map<std::thread::id, std::string> slots_;
};

}  // namespace nb::webhook
