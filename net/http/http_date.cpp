#include "http_date.hpp"

#include <cstdio>
#include <cstring>
#include <ctime>

namespace nb::net {

std::string_view http_date_now() noexcept {
    // Formatting the date cost about as much as the rest of the head; it
    // changes once a second, so each loop thread keeps its last one, in
    // storage of its own: never allocating, so that an answer can always be
    // written (see Connection's answer room). Names from our own tables,
    // since strftime's follow the host program's locale.
    static constexpr const char *kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char *kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    constexpr std::size_t kLength = 29;  // "Sun, 06 Nov 1994 08:49:37 GMT"
    thread_local std::time_t formatted_second = -1;
    thread_local char text[kLength] = {};
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    if (now == formatted_second || !::gmtime_r(&now, &utc)) return {text, kLength};
    char buffer[kLength + 1];
    const int written = std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                                      kDays[utc.tm_wday % 7], utc.tm_mday, kMonths[utc.tm_mon % 12],
                                      utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
    if (written == static_cast<int>(kLength)) {
        std::memcpy(text, buffer, kLength);
        formatted_second = now;
    }
    return {text, kLength};
}

}  // namespace nb::net
