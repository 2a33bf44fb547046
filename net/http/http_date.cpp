#include "http_date.hpp"

#include <ctime>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

namespace nb::net {

const std::string &http_date_now() {
    // Formatting the date cost about as much as the rest of the head; it
    // changes once a second, so each loop thread keeps its last one.
    thread_local std::time_t formatted_second = -1;
    thread_local std::string text;
    const Poco::Timestamp now;
    if (now.epochTime() != formatted_second) {
        text = Poco::DateTimeFormatter::format(now, Poco::DateTimeFormat::HTTP_FORMAT);
        formatted_second = now.epochTime();
    }
    return text;
}

}  // namespace nb::net
