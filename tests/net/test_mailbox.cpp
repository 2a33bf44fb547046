// The mailbox between answering threads and an event loop: it wakes the loop
// only when the loop said it would sleep.
#include <doctest/doctest.h>

#include <memory>
#include <thread>
#include <vector>

#include <poll.h>

#include "server/mailbox.hpp"
#include "server/parked_request.hpp"

using nb::net::Mailbox;
using nb::net::ParkedRequest;

namespace {

bool woken(const Mailbox &mailbox) {
    pollfd fd{mailbox.fd(), POLLIN, 0};
    return ::poll(&fd, 1, 0) == 1;
}

}  // namespace

TEST_CASE("a post wakes the loop only when it said it would sleep") {
    Mailbox mailbox;
    std::vector<std::shared_ptr<ParkedRequest>> taken;
    CHECK(mailbox.arm());
    mailbox.post(nullptr);
    CHECK(woken(mailbox));
    mailbox.clear_wake();
    CHECK_FALSE(woken(mailbox));
    // Awake: the loop takes what waits before it sleeps again, so no syscall.
    mailbox.post(nullptr);
    CHECK_FALSE(woken(mailbox));
    CHECK_FALSE(mailbox.arm());
    mailbox.take(taken);
    CHECK(taken.size() == 2);
    CHECK(mailbox.arm());
    taken.clear();
    mailbox.take(taken);  // the loop woke for something else: it is awake again
    mailbox.post(nullptr);
    CHECK_FALSE(woken(mailbox));
}

TEST_CASE("a post from another thread reaches a sleeping loop") {
    Mailbox mailbox;
    REQUIRE(mailbox.arm());
    std::thread poster([&] { mailbox.post(nullptr); });
    pollfd fd{mailbox.fd(), POLLIN, 0};
    CHECK(::poll(&fd, 1, 10000) == 1);
    poster.join();
    std::vector<std::shared_ptr<ParkedRequest>> taken;
    mailbox.take(taken);
    CHECK(taken.size() == 1);
}

TEST_CASE("once closed, posts are dropped and wake nobody") {
    Mailbox mailbox;
    REQUIRE(mailbox.arm());
    mailbox.close();
    mailbox.post(nullptr);
    CHECK_FALSE(woken(mailbox));
    std::vector<std::shared_ptr<ParkedRequest>> taken;
    mailbox.take(taken);
    CHECK(taken.empty());
}
