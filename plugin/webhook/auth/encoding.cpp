#include "encoding.hpp"

#include <iterator>
#include <sstream>

#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>

namespace nb::webhook::auth {
namespace {

bool is_base64_char(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '+' || c == '/';
}

}  // namespace

std::optional<std::string> base64_decode(std::string_view text) {
    // Poco's decoder skips whitespace and stops at the first '='; checking
    // the alphabet and padding first makes "almost base64" an error.
    const auto body_end = text.find_last_not_of('=');
    const std::size_t padding = body_end == std::string_view::npos ? text.size()
                                                                    : text.size() - body_end - 1;
    if (text.empty() || text.size() % 4 != 0 || padding > 2) return std::nullopt;
    for (std::size_t i = 0; i + padding < text.size(); ++i) {
        if (!is_base64_char(text[i])) return std::nullopt;
    }
    std::istringstream in{std::string(text)};
    Poco::Base64Decoder decoder(in);
    try {
        return std::string(std::istreambuf_iterator<char>(decoder), {});
    } catch (const Poco::Exception &) {
        return std::nullopt;
    }
}

}  // namespace nb::webhook::auth
