#pragma once

// UTC times as the journal commands read and print them: ISO 8601 with a Z.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nb::host {

// "2026-12-03T10:00:00Z", or with milliseconds "2026-12-03T10:00:00.250Z",
// as Unix milliseconds; nothing for any other text or an impossible date.
std::optional<std::int64_t> parse_utc_time(std::string_view text) noexcept;

// Unix milliseconds as "2026-12-03T10:00:00.250Z".
std::string format_utc_time(std::int64_t unix_ms);
// The same written at `p`, which has room for kUtcTimeRoom bytes; returns the end.
inline constexpr std::size_t kUtcTimeRoom = 64;
char *put_utc_time(char *p, std::int64_t unix_ms);
// The same, or nothing (for JSON's null) or "-" (for text) when there is none.
std::optional<std::string> optional_utc_time(std::optional<std::int64_t> unix_ms);
std::string utc_time_or_dash(std::optional<std::int64_t> unix_ms);

}  // namespace nb::host
