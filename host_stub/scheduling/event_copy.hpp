#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include <nb/delivery.h>
#include <nb/event.h>

#include "../store/journal.hpp"

namespace nb::host {

// What a run's source node sees as run->event: an nb_event_t over an
// EventCopy, whose get_extension answers NB_EXT_DELIVERY with the copied
// delivery. get_extension finds the view from the event's address (the event
// is its first member), so a view is neither copied nor moved.
class EventView {
public:
    EventView(const nb_event_t &event, const nb_event_delivery_t *delivery);
    EventView(const EventView &) = delete;
    EventView &operator=(const EventView &) = delete;

    // Valid as long as this view and the EventCopy it was made from.
    const nb_event_t *get() const { return &event_; }

private:
    // [thread-safe] The copied delivery for NB_EXT_DELIVERY when the event
    // had one, else NULL; valid as long as the view.
    static const void *get_extension(const nb_event_t *event, const char *id);

    nb_event_t event_;  // first: see get_extension
    nb_event_delivery_t delivery_;
    bool has_delivery_;
};

// The host's own copy of an event: nb_event_t pointers are only borrowed
// during trigger or submit, a run needs them later on a worker thread. The
// event's NB_EXT_DELIVERY is copied too, when its version has get_extension.
// All its text is one allocation, each part NUL-terminated: a job is moved
// several times between the submitting thread and its run.
class EventCopy {
public:
    explicit EventCopy(const nb_event_t &event);
    // A stored event, as its source handed it over.
    explicit EventCopy(const StoredEvent &stored);
    EventCopy(const EventCopy &) = delete;
    EventCopy &operator=(const EventCopy &) = delete;
    EventCopy(EventCopy &&) = default;
    EventCopy &operator=(EventCopy &&) = default;

    // Valid while this object is alive and unmoved.
    EventView view() const;
    // For the journal, as `node`'s event: valid while this object is alive
    // (moving it keeps its text where it is).
    EventRecord record(std::string_view node) const;
    // The bytes it holds: what --queue-bytes counts.
    std::size_t bytes() const noexcept { return bytes_; }

private:
    enum Part { method, path, body, headers_json, query_json, remote_addr, delivery_id, kParts };
    struct Span {
        std::size_t offset = 0;
        std::size_t size = 0;
    };
    const char *at(Part part) const noexcept { return text_.get() + spans_[part].offset; }
    std::size_t size(Part part) const noexcept { return spans_[part].size; }
    std::string_view part(Part part) const noexcept { return {at(part), size(part)}; }

    std::unique_ptr<char[]> text_;
    std::size_t bytes_ = 0;
    Span spans_[kParts];
    bool has_delivery_ = false;
    bool has_delivery_id_ = false;  // the sender gave one: id NULL otherwise
    std::uint32_t dedupe_window_s_ = 0;
};

}  // namespace nb::host
