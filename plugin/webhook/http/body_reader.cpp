#include "body_reader.hpp"

#include <istream>

#include <Poco/Net/HTTPFixedLengthStream.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerSession.h>

#include "chunked_decoder.hpp"

namespace nb::webhook {
namespace {

// Reads up to `count` bytes into body[offset...]; returns how many came.
// badbit rethrows: a timeout or reset must not pass for the end of the body.
std::size_t read_into(std::istream &in, char *out, std::size_t count) {
    in.exceptions(std::ios::badbit);
    in.read(out, static_cast<std::streamsize>(count));
    return static_cast<std::size_t>(in.gcount());
}

BodyRead read_fixed(std::istream &in, std::uint64_t length, std::uint64_t max_bytes,
                    std::string &body) {
    if (length > max_bytes) return BodyRead::too_large;
    const auto size = static_cast<std::size_t>(length);
    body.resize(size);
    const std::size_t got = size ? read_into(in, body.data(), size) : 0;
    body.resize(got);
    return got == size ? BodyRead::complete : BodyRead::truncated;
}

// Poco's chunked stream takes a connection closed mid-body, or a bad chunk
// size, for the end of the body; this reads the raw connection through
// streams bounded to exactly what the decoder asks for.
BodyRead read_chunked(Poco::Net::HTTPServerSession &session, std::uint64_t max_bytes,
                      std::string &body) {
    ChunkedDecoder decoder;
    std::string buffer;
    for (;;) {
        if (body.size() + decoder.pending() > max_bytes) return BodyRead::too_large;
        const std::size_t want = decoder.wanted();
        buffer.resize(want);
        Poco::Net::HTTPFixedLengthInputStream in(session, static_cast<Poco::Net::HTTPFixedLengthStreamBuf::ContentLength>(want));
        const std::size_t got = read_into(in, buffer.data(), want);
        if (got == 0) return BodyRead::truncated;
        switch (decoder.feed(std::string_view(buffer.data(), got), body)) {
        case ChunkedDecoder::Result::more:
            break;
        case ChunkedDecoder::Result::done:
            return BodyRead::complete;
        case ChunkedDecoder::Result::malformed:
            return BodyRead::malformed;
        }
    }
}

}  // namespace

BodyRead read_body(Poco::Net::HTTPServerRequest &request, std::uint64_t max_bytes,
                   std::string &body) {
    if (request.getChunkedTransferEncoding()) {
        auto &impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl &>(request);
        return read_chunked(impl.session(), max_bytes, body);
    }
    if (!request.hasContentLength()) return BodyRead::complete;
    return read_fixed(request.stream(), static_cast<std::uint64_t>(request.getContentLength64()),
                      max_bytes, body);
}

}  // namespace nb::webhook
