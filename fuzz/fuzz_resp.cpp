// Redis's replies, cut into the pieces a socket may hand over: every input
// reads as replies or ends in a format error, never a crash or a hang.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "broker/resp_reply.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t step = data[0] % 16 + 1;  // the first byte sets the piece size
    std::size_t at = 1;
    nb::host::RespReader reader([&](char *buffer, std::size_t n) {
        const std::size_t piece = std::min({n, step, size - at});
        std::memcpy(buffer, data + at, piece);
        at += piece;
        return piece;
    });
    try {
        for (;;) reader.read();
    } catch (const nb::host::BrokerError &) {
    }
    return 0;
}
