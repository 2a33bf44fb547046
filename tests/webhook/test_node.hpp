#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <doctest/doctest.h>

#include "fake_host.hpp"
#include "node/webhook_node.hpp"

namespace nb::test {

// A webhook node driven through its C vtable, with widgets set on creation.
class TestNode {
public:
    TestNode(const FakeHost &host, const std::string &id, std::uint16_t port,
             const std::string &path = "/webhook")
        : node_(std::make_unique<webhook::WebhookNode>(id, host.host())) {
        REQUIRE(set("port", std::to_string(port)) == NB_OK);
        REQUIRE(set("path", path) == NB_OK);
    }

    const nb_node_t *abi() const { return node_->abi(); }
    webhook::WebhookNode &impl() { return *node_; }
    nb_status_t set(const char *name, const std::string &value) {
        return abi()->set_widget(abi(), name, value.c_str());
    }
    nb_status_t start() { return abi()->start(abi()); }
    void stop() { abi()->stop(abi()); }
    std::string error() const { return abi()->last_error(abi()); }

private:
    std::unique_ptr<webhook::WebhookNode> node_;
};

}  // namespace nb::test
