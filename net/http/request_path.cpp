#include "request_path.hpp"

namespace nb::net {

std::string_view request_path(std::string_view target) noexcept {
    if (target.substr(0, 7) == "http://" || target.substr(0, 8) == "https://") {
        const auto authority = target.find("//") + 2;
        const auto slash = target.find_first_of("/?#", authority);
        if (slash == std::string_view::npos || target[slash] != '/') return "/";
        target.remove_prefix(slash);
    }
    return target.substr(0, target.find_first_of("?#"));
}

std::string_view request_query(std::string_view target) noexcept {
    const auto q = target.find('?');
    if (q == std::string_view::npos) return {};
    const auto query = target.substr(q + 1);
    return query.substr(0, query.find('#'));
}

}  // namespace nb::net
