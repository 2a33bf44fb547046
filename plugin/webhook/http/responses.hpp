#pragma once

#include <string>
#include <string_view>

#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace nb::webhook {

// {"status":"error","error":"<message>"}: the one shape of every error answer.
std::string error_json(std::string_view message);

// Sends `body` as application/json in one buffer with its Content-Length.
void send_json(Poco::Net::HTTPServerResponse &response, Poco::Net::HTTPResponse::HTTPStatus status,
               std::string_view body);

// send_json of error_json(message).
void send_error(Poco::Net::HTTPServerResponse &response,
                Poco::Net::HTTPResponse::HTTPStatus status, std::string_view message);

// True when the request announces a body (Content-Length > 0 or chunked).
// An answer sent without reading it must close the connection: the unread
// bytes would otherwise be parsed as the next request.
bool has_body(const Poco::Net::HTTPServerRequest &request);

}  // namespace nb::webhook
