// No exception crosses the ABI: whatever a basic node throws, the C caller
// gets NB_ERR_INTERNAL and a message, and the process goes on.
#include <doctest/doctest.h>

#include <memory>
#include <new>
#include <stdexcept>
#include <string>

#include "fake_run.hpp"
#include "node_base.hpp"

namespace {

const nb_node_descriptor_t thrower_descriptor = {
    NB_VERSION_INIT, "test.thrower", "Thrower", "", "Test", "1.0.0", nullptr, 0,
    nullptr,         0,              nullptr,   0,  nullptr, 0,      0};

enum class Throw { standard, out_of_memory, integer };

class Thrower final : public nb::basic::Node {
public:
    explicit Thrower(Throw what) : Node(thrower_descriptor, "t"), what_(what) {}
    nb_status_t execute(const nb_run_t &) override {
        switch (what_) {
        case Throw::standard: throw std::runtime_error("boom");
        case Throw::out_of_memory: throw std::bad_alloc();
        case Throw::integer: throw 42;
        }
        return NB_OK;
    }

private:
    Throw what_;
};

std::string execute_and_report(Throw what) {
    const nb_node_t *node = nb::basic::publish(std::make_unique<Thrower>(what));
    nb::test::FakeRun run;
    const nb_status_t status = node->execute(node, run.run());
    std::string message = node->last_error(node);
    node->destroy(node);
    CHECK(status == NB_ERR_INTERNAL);
    return message;
}

}  // namespace

TEST_CASE("a std::exception in execute becomes NB_ERR_INTERNAL with its message") {
    CHECK(execute_and_report(Throw::standard) == "boom");
}

TEST_CASE("out of memory in execute becomes NB_ERR_INTERNAL") {
    CHECK(execute_and_report(Throw::out_of_memory) == "out of memory");
}

TEST_CASE("a non-standard exception in execute becomes NB_ERR_INTERNAL, not terminate") {
    CHECK(execute_and_report(Throw::integer) == "a non-standard exception was thrown");
}
