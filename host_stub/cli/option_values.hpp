#pragma once

// Option values that carry a unit. Each parser takes the whole text or
// nothing, so callers name the option and the value in their UsageError.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nb::host {

// DURATION: a whole number and one of ms, s, m, h, d ("500ms", "30s", "7d").
// Nothing for anything else, a missing unit included, or past int64 ms.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) noexcept;
// The other way: in the largest unit that divides it exactly ("30s", "90s",
// "1500ms").
std::string format_duration(std::chrono::milliseconds duration);

// SIZE: a whole number, then nothing or B (bytes), KiB, MiB, GiB (1024-based)
// or kB, MB, GB (1000-based), exactly so spelt. Nothing for anything else or
// past int64.
std::optional<std::uint64_t> parse_size(std::string_view text) noexcept;

}  // namespace nb::host
