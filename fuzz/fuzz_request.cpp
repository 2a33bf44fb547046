// What the webhook does with a request before any node sees it: Poco parses
// the head, then framing_error, request_path / request_query, query_json,
// headers_json, and the rest of the input goes through the ChunkedDecoder.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>

#include "http/chunked_decoder.hpp"
#include "http/framing.hpp"
#include "http/request_json.hpp"
#include "routing/request_path.hpp"

namespace {

void decode_chunks(std::string_view rest) {
    nb::webhook::ChunkedDecoder decoder;
    std::string body;
    std::size_t fed = 0;
    while (!rest.empty()) {
        const std::size_t want = decoder.wanted();
        if (want == 0) break;
        const std::size_t n = std::min(want, rest.size());
        fed += n;
        const auto result = decoder.feed(rest.substr(0, n), body);
        rest.remove_prefix(n);
        if (result != nb::webhook::ChunkedDecoder::Result::more) break;
    }
    if (body.size() > fed) std::abort();  // data can only come from input
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string input(reinterpret_cast<const char *>(data), size);
    std::istringstream in(input);
    Poco::Net::HTTPRequest request;
    try {
        request.read(in);
    } catch (const Poco::Exception &) {
        decode_chunks(input);
        return 0;
    }
    (void)nb::webhook::framing_error(request);
    const std::string &uri = request.getURI();
    const auto path = nb::webhook::request_path(uri);
    if (path.size() > uri.size()) std::abort();
    (void)nb::webhook::query_json(nb::webhook::request_query(uri));
    (void)nb::webhook::headers_json(request);
    const auto consumed = static_cast<std::size_t>(in.tellg());
    if (consumed <= input.size()) decode_chunks(std::string_view(input).substr(consumed));
    return 0;
}
