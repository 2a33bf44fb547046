#pragma once

#include <exception>
#include <new>

#include <nb/status.h>

namespace nb {

// Runs `call`, which returns an nb_status_t, for a C caller: no exception
// crosses the ABI. One escaping becomes NB_ERR_INTERNAL, and its message goes
// to `fail(status, message)`, which records it for last_error and returns the
// status; if even that throws, NB_ERR_INTERNAL alone.
template <typename Call, typename Fail>
nb_status_t abi_guard(Call &&call, Fail &&fail) noexcept {
    const auto report = [&fail](const char *message) noexcept {
        try {
            return fail(NB_ERR_INTERNAL, message);
        } catch (...) {
            return NB_ERR_INTERNAL;
        }
    };
    try {
        return call();
    } catch (const std::bad_alloc &) {
        return report("out of memory");
    } catch (const std::exception &e) {
        return report(e.what());
    } catch (...) {
        // C++ lets anything be thrown; the C caller must still get a status.
        return report("a non-standard exception was thrown");
    }
}

}  // namespace nb
