#pragma once

#include <string>

#include <nb/event.h>

namespace nb::host {

// The host's own copy of an event: nb_event_t pointers are only borrowed
// during trigger, a run needs them later on a worker thread.
class EventCopy {
public:
    explicit EventCopy(const nb_event_t &event);
    EventCopy(const EventCopy &) = delete;
    EventCopy &operator=(const EventCopy &) = delete;
    EventCopy(EventCopy &&) = default;
    EventCopy &operator=(EventCopy &&) = default;

    // Valid while this object is alive and unmoved.
    nb_event_t view() const;

private:
    std::string method_, path_, body_, headers_json_, query_json_, remote_addr_;
};

}  // namespace nb::host
