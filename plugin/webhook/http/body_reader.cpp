#include "body_reader.hpp"

#include <algorithm>
#include <istream>

namespace nb::webhook {
namespace {

// Reads up to `count` bytes into body[offset...]; returns how many came.
std::size_t read_into(std::istream &in, std::string &body, std::size_t offset, std::size_t count) {
    in.read(body.data() + offset, static_cast<std::streamsize>(count));
    return static_cast<std::size_t>(in.gcount());
}

}  // namespace

BodyRead read_body(Poco::Net::HTTPServerRequest &request, std::uint64_t max_bytes,
                   std::string &body) {
    std::istream &in = request.stream();
    if (request.hasContentLength() && !request.getChunkedTransferEncoding()) {
        const auto length = request.getContentLength64();
        if (length < 0 || static_cast<std::uint64_t>(length) > max_bytes) {
            return BodyRead::too_large;
        }
        const auto size = static_cast<std::size_t>(length);
        body.resize(size);
        const std::size_t got = size ? read_into(in, body, 0, size) : 0;
        body.resize(got);
        return got == size ? BodyRead::complete : BodyRead::truncated;
    }
    // Chunked (or delimited by close): grow block by block and stop one byte
    // past the limit, so an endless body costs at most max_bytes + a block.
    constexpr std::size_t kBlock = 64 * 1024;
    const std::uint64_t limit = max_bytes + 1;
    std::size_t size = 0;
    while (in && size < limit) {
        const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(kBlock, limit - size));
        body.resize(size + want);
        size += read_into(in, body, size, want);
    }
    body.resize(size);
    return size > max_bytes ? BodyRead::too_large : BodyRead::complete;
}

}  // namespace nb::webhook
