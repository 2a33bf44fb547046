#pragma once

#include <Poco/Net/HTTPServerParams.h>

namespace nb::webhook {

// How one port's server is sized. Poco serves one connection per thread, from
// the first byte of a request to the end of keep-alive, so kMaxThreads is the
// number of clients served at once, slow or not: it is set well above the
// hundred slow clients a port must withstand while still answering others.
inline constexpr int kMaxThreads = 256;
// Connections accepted while every thread is busy wait here (a thread frees
// after read_timeout_s at worst); beyond it Poco closes them at once.
inline constexpr int kMaxQueued = 512;
inline constexpr int kBacklog = 1024;
// Requests one keep-alive connection may send before it is closed, so that a
// single client cannot keep a thread for ever.
inline constexpr int kMaxKeepAliveRequests = 1000;
inline constexpr int kKeepAliveTimeoutS = 5;

// The parameters of a port's server; read_timeout_s is the longest silence
// allowed while a request arrives (or its answer leaves).
Poco::Net::HTTPServerParams::Ptr server_params(unsigned read_timeout_s);

}  // namespace nb::webhook
