#include "utc_time.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "integer.hpp"

namespace nb::host {
namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil), so no time zone or libc state is involved.
std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct Civil {
    std::int64_t year, month, day;
};

Civil civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
    return {yoe + era * 400 + (month <= 2), month, day};
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

std::int64_t days_in_month(std::int64_t y, std::int64_t m) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

// `width` digits at `at`, within [low, high].
std::optional<std::int64_t> field(std::string_view text, std::size_t at, std::size_t width,
                                  std::int64_t low, std::int64_t high) {
    const auto value = parse_integer(text.substr(at, width), Sign::unsigned_only);
    if (!value || *value < low || *value > high) return std::nullopt;
    return value;
}

}  // namespace

std::optional<std::int64_t> parse_utc_time(std::string_view text) noexcept {
    // YYYY-MM-DDTHH:MM:SS[.mmm]Z
    const bool with_ms = text.size() == 24;
    if ((text.size() != 20 && !with_ms) || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
        text[13] != ':' || text[16] != ':' || text.back() != 'Z' || (with_ms && text[19] != '.')) {
        return std::nullopt;
    }
    const auto year = field(text, 0, 4, 1970, 9999);
    const auto month = field(text, 5, 2, 1, 12);
    const auto day = field(text, 8, 2, 1, 31);
    const auto hour = field(text, 11, 2, 0, 23);
    const auto minute = field(text, 14, 2, 0, 59);
    const auto second = field(text, 17, 2, 0, 59);
    const auto ms = with_ms ? field(text, 20, 3, 0, 999) : std::optional<std::int64_t>(0);
    if (!year || !month || !day || !hour || !minute || !second || !ms ||
        *day > days_in_month(*year, *month)) {
        return std::nullopt;
    }
    return days_from_civil(*year, *month, *day) * kMsPerDay +
           ((*hour * 60 + *minute) * 60 + *second) * 1000 + *ms;
}

char *put_utc_time(char *p, std::int64_t unix_ms) {
    const std::int64_t days = (unix_ms >= 0 ? unix_ms : unix_ms - (kMsPerDay - 1)) / kMsPerDay;
    const std::int64_t in_day = unix_ms - days * kMsPerDay;
    const Civil date = civil_from_days(days);
    const std::int64_t fields[] = {date.year,           date.month,          date.day,
                                   in_day / 3'600'000,  in_day / 60'000 % 60, in_day / 1000 % 60,
                                   in_day % 1000};
    if (date.year < 0 || date.year > 9999) {
        char text[128];  // room for any int64, so the format cannot truncate
        const int n = std::snprintf(text, sizeof text, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ",
                                    static_cast<long long>(fields[0]), static_cast<long long>(fields[1]),
                                    static_cast<long long>(fields[2]), static_cast<long long>(fields[3]),
                                    static_cast<long long>(fields[4]), static_cast<long long>(fields[5]),
                                    static_cast<long long>(fields[6]));
        const auto size = std::min(static_cast<std::size_t>(n), kUtcTimeRoom);
        std::memcpy(p, text, size);
        return p + size;
    }
    // Without snprintf: the access log stamps every line.
    char text[] = "0000-00-00T00:00:00.000Z";
    constexpr int kEnd[] = {4, 7, 10, 13, 16, 19, 23};  // one past each field's last digit
    for (int f = 0; f < 7; ++f) {
        std::int64_t v = fields[f];
        for (int i = kEnd[f] - 1; v > 0; --i, v /= 10) text[i] = static_cast<char>('0' + v % 10);
    }
    std::memcpy(p, text, sizeof text - 1);
    return p + sizeof text - 1;
}

std::string format_utc_time(std::int64_t unix_ms) {
    char text[kUtcTimeRoom];
    return std::string(text, put_utc_time(text, unix_ms));
}

std::optional<std::string> optional_utc_time(std::optional<std::int64_t> unix_ms) {
    if (!unix_ms) return std::nullopt;
    return format_utc_time(*unix_ms);
}

std::string utc_time_or_dash(std::optional<std::int64_t> unix_ms) { return optional_utc_time(unix_ms).value_or("-"); }

}  // namespace nb::host
