#pragma once

#include <chrono>
#include <cstddef>

namespace nb::net {

// How one port's server is sized and how long it waits.
inline constexpr int kBacklog = 1024;
// Open connections per port; past it, new ones wait in the backlog until
// one closes. Each idle connection costs a few KiB, a slow client no thread.
inline constexpr std::size_t kMaxConnections = 4096;
// Requests one keep-alive connection may send before it is closed, so that
// a single client cannot hold a connection for ever.
inline constexpr unsigned kMaxKeepAliveRequests = 1000;
inline constexpr std::chrono::seconds kKeepAliveTimeout{5};
// A lingering close reads and discards at most this much, for this long.
inline constexpr std::size_t kLingerBytes = 1 << 20;
inline constexpr std::chrono::milliseconds kLingerTime{1000};
// How long a stopping server still lets answers already written drain, and
// parked requests get their answer.
inline constexpr std::chrono::milliseconds kDrainTime{1000};
// How often deadlines are checked: their precision.
inline constexpr std::chrono::milliseconds kTimerTick{100};
// Accepting pauses this long when the process is out of descriptors.
inline constexpr std::chrono::milliseconds kAcceptPause{100};

}  // namespace nb::net
