// Out of memory right after the host accepted an event: its sender must
// still be told 200. A 500 would make it send the event again, and the event
// would run twice. This binary replaces operator new, so it runs in the
// plain and ASan stages, not under valgrind.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <thread>

#include "net_helpers.hpp"
#include "test_node.hpp"

using namespace nb::test;

namespace {

// While set, every allocation on the thread that set it fails.
std::atomic<bool> g_failing{false};
std::atomic<std::thread::id> g_failing_thread{};
std::atomic<int> g_triggers{0};

void *allocate(std::size_t size) {
    if (g_failing.load(std::memory_order_acquire) &&
        g_failing_thread.load(std::memory_order_relaxed) == std::this_thread::get_id()) {
        throw std::bad_alloc();
    }
    if (void *p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}

// Accepts the event, then leaves its server thread with no memory at all.
nb_trigger_result_t accept_then_starve(const nb_host_t *, const nb_node_t *,
                                       const nb_event_t *) {
    ++g_triggers;
    g_failing_thread.store(std::this_thread::get_id(), std::memory_order_relaxed);
    g_failing.store(true, std::memory_order_release);
    return NB_TRIGGER_ACCEPTED;
}

void ignore_log(const nb_host_t *, const nb_node_t *, nb_log_level_t, const char *) {}

}  // namespace

void *operator new(std::size_t size) { return allocate(size); }
void *operator new[](std::size_t size) { return allocate(size); }
void operator delete(void *p) noexcept { std::free(p); }
void operator delete[](void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t) noexcept { std::free(p); }

TEST_CASE("out of memory once the host accepted: the sender still gets 200") {
    const nb_host_t host{NB_VERSION_INIT, nullptr, accept_then_starve, ignore_log, nullptr};
    const auto port = free_port();
    nb::webhook::WebhookNode node("hook", &host);
    REQUIRE(node.abi()->set_widget(node.abi(), "port", std::to_string(port).c_str()) == NB_OK);
    REQUIRE(node.start() == NB_OK);

    // Twice on one connection: a fresh one, then one whose buffers the
    // first answer grew.
    Poco::Net::StreamSocket socket = connect_raw(port);
    const std::string request =
        "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
    for (int round = 1; round <= 2; ++round) {
        CAPTURE(round);
        socket.sendBytes(request.data(), static_cast<int>(request.size()));
        const std::string answer = read_answer(socket, std::chrono::milliseconds(5000));
        g_failing = false;
        CHECK(g_triggers == round);
        CHECK(raw_status(answer) == 200);
        CHECK(answer.find(R"({"status":"ok"})") != std::string::npos);
    }
    node.stop();
}
