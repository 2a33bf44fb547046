#pragma once

#include <optional>
#include <string>
#include <vector>

#include <Poco/Dynamic/Var.h>

namespace nb::conformance {

// One place where two parsed JSON documents differ: an RFC 6901 pointer
// ("" for the whole document) and the value on each side as compact JSON
// text, nullopt on the side where it is absent.
struct JsonDifference {
    std::string pointer;
    std::optional<std::string> left;
    std::optional<std::string> right;
};

// Every difference between two documents parsed by Poco::JSON::Parser, as
// values: key order, white space and a final newline do not count. Objects
// are compared key by key, arrays element by element; a value of another
// JSON type differs as a whole.
std::vector<JsonDifference> json_differences(const Poco::Dynamic::Var &left,
                                             const Poco::Dynamic::Var &right);

// A value as compact JSON text.
std::string compact_json(const Poco::Dynamic::Var &value);

}  // namespace nb::conformance
