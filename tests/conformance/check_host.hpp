#pragma once

#include <cstdio>

#include "fake_host.hpp"

namespace nb::conformance {

// The host every rule runs nodes with: what nodes log through it goes to
// standard output, which main keeps out of the report unless --verbose.
class CheckHost : public nb::test::FakeHost {
public:
    explicit CheckHost(bool async = false) : FakeHost(async) { print_logs_to(stdout); }
};

}  // namespace nb::conformance
