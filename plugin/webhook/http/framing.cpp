#include "framing.hpp"

#include <Poco/Net/HTTPMessage.h>
#include <Poco/String.h>

namespace nb::webhook {
namespace {

// Up to 18 digits always fits an Int64, which is what Poco parses it into.
bool is_plain_length(const std::string &value) {
    if (value.empty() || value.size() > 18) return false;
    for (const char c : value) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

}  // namespace

std::optional<std::string> framing_error(const Poco::Net::MessageHeader &headers) {
    const std::string &kLength = Poco::Net::HTTPMessage::CONTENT_LENGTH;
    const std::string &kEncoding = Poco::Net::HTTPMessage::TRANSFER_ENCODING;
    const bool has_length = headers.has(kLength);
    if (headers.has(kEncoding)) {
        if (has_length) return "both Content-Length and Transfer-Encoding are set";
        int encodings = 0;
        for (auto it = headers.find(kEncoding); it != headers.end(); ++it) {
            if (Poco::icompare(it->first, kEncoding) != 0) break;
            if (++encodings > 1 || Poco::icompare(it->second, "chunked") != 0) {
                return "Transfer-Encoding other than one \"chunked\" is not supported";
            }
        }
    }
    if (!has_length) return std::nullopt;
    const std::string &first = headers.get(kLength);
    for (auto it = headers.find(kLength); it != headers.end(); ++it) {
        if (Poco::icompare(it->first, kLength) != 0) break;
        if (!is_plain_length(it->second)) return "Content-Length is not a non-negative integer";
        if (it->second != first) return "Content-Length headers disagree";
    }
    return std::nullopt;
}

}  // namespace nb::webhook
