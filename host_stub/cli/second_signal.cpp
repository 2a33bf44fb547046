#include "second_signal.hpp"

#include <cstdlib>
#include <utility>

#include <pthread.h>

namespace nb::host {

SecondSignal::SecondSignal(const sigset_t &signals, LastWords last_words)
    : signals_(signals), last_words_(std::move(last_words)), thread_([this] { watch(); }) {}

SecondSignal::~SecondSignal() {
    ended_ = true;
    // sigwait returns for a signal sent to its thread alone: one of the set
    // wakes the watcher, which sees the drain ended. A signal from outside
    // arriving meanwhile is taken for the same; the exit is near anyway.
    for (int signal = 1; signal < NSIG; ++signal) {
        if (sigismember(&signals_, signal) == 1) {
            pthread_kill(thread_.native_handle(), signal);
            break;
        }
    }
    thread_.join();
}

void SecondSignal::watch() {
    int signal = 0;
    while (sigwait(&signals_, &signal) != 0) {
    }
    if (ended_) return;
    try {
        last_words_(signal);
    } catch (...) {
        // Out of memory composing them: the exit matters more.
    }
    std::_Exit(128 + signal);
}

}  // namespace nb::host
