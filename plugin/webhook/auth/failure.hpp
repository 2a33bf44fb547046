#pragma once

#include <optional>
#include <string>
#include <utility>

namespace nb::webhook::auth {

// Why a request fails the sender check, for a 401. Never holds the expected
// value or the key.
struct Rejection {
    Rejection(std::string message, bool replay = false)  // NOLINT: implicit, as a message
        : message(std::move(message)), replay(replay) {}
    Rejection(const char *message) : message(message) {}  // NOLINT

    std::string message;
    bool replay = false;  // the signed timestamp is outside the tolerance: a replay, or a clock off
};

// nullopt when the request passes.
using Failure = std::optional<Rejection>;

}  // namespace nb::webhook::auth
