#include "option_values.hpp"

#include <iterator>
#include <limits>
#include <string>
#include <utility>

#include "integer.hpp"

namespace nb::host {
namespace {

// The number before the unit, and the unit's factor from `units`.
template <std::size_t N>
std::optional<std::int64_t> scaled(std::string_view text,
                                   const std::pair<std::string_view, std::int64_t> (&units)[N]) {
    const std::size_t split = std::min(text.find_first_not_of("0123456789"), text.size());
    const auto number = parse_integer(text.substr(0, split), Sign::unsigned_only);
    if (!number) return std::nullopt;
    for (const auto &[unit, factor] : units) {
        if (text.substr(split) != unit) continue;
        if (*number > std::numeric_limits<std::int64_t>::max() / factor) return std::nullopt;
        return *number * factor;
    }
    return std::nullopt;
}

constexpr std::pair<std::string_view, std::int64_t> kDurationUnits[] = {
    {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}};

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) noexcept {
    const auto ms = scaled(text, kDurationUnits);
    if (!ms) return std::nullopt;
    return std::chrono::milliseconds(*ms);
}

std::string format_duration(std::chrono::milliseconds duration) {
    const std::int64_t ms = duration.count();
    for (auto unit = std::rbegin(kDurationUnits); unit != std::rend(kDurationUnits); ++unit) {
        if (ms >= unit->second && ms % unit->second == 0) {
            return std::to_string(ms / unit->second) + std::string(unit->first);
        }
    }
    return std::to_string(ms) + "ms";
}

std::optional<std::uint64_t> parse_size(std::string_view text) noexcept {
    static constexpr std::pair<std::string_view, std::int64_t> units[] = {
        {"", 1},           {"B", 1},
        {"KiB", 1 << 10},  {"MiB", 1 << 20},      {"GiB", 1 << 30},
        {"kB", 1'000},     {"MB", 1'000'000},     {"GB", 1'000'000'000}};
    const auto bytes = scaled(text, units);
    if (!bytes) return std::nullopt;
    return static_cast<std::uint64_t>(*bytes);
}

}  // namespace nb::host
