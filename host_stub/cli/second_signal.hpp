#pragma once

#include <atomic>
#include <csignal>
#include <functional>
#include <thread>

namespace nb::host {

// [main-thread] While alive, one more of `signals` (blocked in every thread)
// ends the process at once: a thread of its own calls `last_words` with the
// signal, then std::_Exit(128 + signal), the shell's status for a process
// ended by that signal. Nothing else is waited for: not the workers, whose
// runs may be blocked in a plugin, nor any destructor. Made when the first
// signal begins the drain; destroyed when the drain ended, which ends the
// watch.
class SecondSignal {
public:
    using LastWords = std::function<void(int signal)>;
    SecondSignal(const sigset_t &signals, LastWords last_words);
    ~SecondSignal();
    SecondSignal(const SecondSignal &) = delete;
    SecondSignal &operator=(const SecondSignal &) = delete;

private:
    void watch();

    const sigset_t signals_;
    const LastWords last_words_;
    std::atomic<bool> ended_{false};
    std::thread thread_;  // last: started once everything it uses exists
};

}  // namespace nb::host
