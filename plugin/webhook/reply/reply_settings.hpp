#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nb/status.h>

#include "header_list.hpp"

namespace nb::webhook {

// The validated widget values of one reply node, each kept with its
// canonical text so that get_widget can hand out a stable C string.
class ReplySettings {
public:
    ReplySettings();

    // As Settings::set (widgets/settings.hpp): on failure NB_ERR_INVALID or
    // NB_ERR_UNKNOWN, `error` naming the widget and what is allowed, and the
    // previous value kept.
    nb_status_t set(std::string_view name, const char *value, std::string &error);

    // The canonical text of widget `name`, or nullptr for an unknown name.
    const char *get(std::string_view name) const noexcept;

    std::uint32_t status() const noexcept { return status_; }
    const std::string &content_type() const noexcept { return content_type_; }
    const HeaderList &headers() const noexcept { return headers_; }

private:
    std::uint32_t status_ = 0;
    std::string status_text_;
    std::string content_type_;
    HeaderList headers_;
};

}  // namespace nb::webhook
