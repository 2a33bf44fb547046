#pragma once

#include <stdexcept>

namespace nb::host {

// A workflow refused before anything runs. what() is the whole message for
// the user: it starts with the file and names the node, widget or edge.
class WorkflowError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace nb::host
