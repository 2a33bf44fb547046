#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nb/run_reply.h>

namespace nb::host {

// The host's own copy of a reply: set_reply borrows the nb_reply_t for the
// call only, the event source is told it when the run ends.
class ReplyCopy {
public:
    // `reply` must be well formed (well_formed below).
    explicit ReplyCopy(const nb_reply_t &reply);
    ReplyCopy(const ReplyCopy &) = delete;
    ReplyCopy &operator=(const ReplyCopy &) = delete;

    // Valid while this object is alive, unmoved and unchanged.
    const nb_reply_t *get() const { return &view_; }

    // [thread-safe] No NULL where the ABI wants text, a status in 200-599.
    static bool well_formed(const nb_reply_t &reply);

private:
    std::optional<std::string> content_type_;  // none: NULL, "application/json"
    std::vector<std::pair<std::string, std::string>> header_text_;
    std::vector<nb_header_field_t> headers_;  // over header_text_
    std::string body_;
    nb_reply_t view_;
};

}  // namespace nb::host
