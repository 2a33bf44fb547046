#pragma once

#include <nb/run_reply.h>

#include "http/responses.hpp"

namespace nb::webhook {

// The answer a run's reply asks for. The reply may come from any plugin's
// node: one that could not be sent as it is (a status outside 200-599, a
// header that would break the framing or inject lines) is answered 500
// naming what was wrong, never written.
net::Answer reply_answer(const nb_reply_t &reply);

}  // namespace nb::webhook
