"""The asyncio bridge with the real webhook plugin over loopback HTTP: every
POST reaches the handler once while the loop stays responsive, stop and
start again, stop with requests in flight, failing handlers, replies (from
the handler and from an events.webhook_reply node), a full queue."""
import asyncio
import json
import unittest

from harness import free_port
from http_clients import post, post_many
from nbhost_paths import WEBHOOK
from nbhost import Host, Plugin, Reply

# How often the responsiveness probe ticks while requests pour in.
TICK_S = 0.002


def error_of(answer):
    return json.loads(answer[2])["error"]


class Bridge(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.plugin = Plugin.load(WEBHOOK)

    @classmethod
    def tearDownClass(cls):
        cls.plugin.close()

    def hook(self, host, node_id="hook", **widgets):
        node = self.plugin.create_node("events.webhook", node_id, host)
        self.addCleanup(node.destroy)
        port = free_port()
        for name, value in {"port": port, "bind": "127.0.0.1", **widgets}.items():
            node.set_widget(name, value)
        return node, port

    def test_1000_posts_from_16_connections_each_reach_the_handler_once(self):
        host = Host()
        node, port = self.hook(host)
        bodies = [json.dumps({"id": i}).encode() for i in range(1000)]
        seen, timeline = [], []

        async def handler(run):
            seen.append(run.outputs["received_data"])
            timeline.append("run")
            await asyncio.sleep(0)

        async def scenario():
            node.start(handler)
            done = asyncio.Event()

            async def ticker():
                while not done.is_set():
                    timeline.append("tick")
                    await asyncio.sleep(TICK_S)

            ticking = asyncio.create_task(ticker())
            statuses = await asyncio.to_thread(post_many, port, bodies, 16)
            node.stop()
            await host.drain()
            done.set()
            await ticking
            return statuses

        statuses = asyncio.run(scenario())
        self.assertEqual(statuses, {b: 200 for b in bodies})
        self.assertEqual(sorted(seen), sorted(bodies))
        self.assertEqual(host.pending, 0)
        first, last = timeline.index("run"), len(timeline) - 1 - timeline[::-1].index("run")
        self.assertGreater(timeline[first:last].count("tick"), 0,
                           "the periodic task never ran while the runs came in")

    def test_start_stop_start(self):
        host = Host()
        node, port = self.hook(host)
        seen = []

        async def scenario():
            node.start(lambda run: seen.append(run.outputs["received_data"]))
            first = await asyncio.to_thread(post, port, b"one")
            node.stop()
            with self.assertRaises(ConnectionRefusedError):
                await asyncio.to_thread(post, port, b"nobody")
            node.start(lambda run: seen.append(run.outputs["received_data"]))
            second = await asyncio.to_thread(post, port, b"two")
            node.stop()
            await host.drain()
            return first, second

        first, second = asyncio.run(scenario())
        self.assertEqual([(a[0], a[2]) for a in (first, second)], [(200, b'{"status":"ok"}')] * 2)
        self.assertEqual(seen, [b"one", b"two"])
        self.assertFalse(node.started)

    def test_stop_while_requests_are_in_flight(self):
        host = Host()
        node, port = self.hook(host)
        bodies = [b"%d" % i for i in range(5000)]
        seen = []

        async def scenario():
            many = asyncio.Event()

            def handler(run):
                seen.append(run.outputs["received_data"])
                if len(seen) == 200:
                    many.set()

            node.start(handler)
            clients = asyncio.create_task(asyncio.to_thread(post_many, port, bodies, 16))
            await many.wait()
            node.stop()
            statuses = await clients
            await host.drain()
            return statuses

        statuses = asyncio.run(scenario())
        answered = {b for b, s in statuses.items() if s == 200}
        # 503 once the node is stopping, 404 once its route is gone from a
        # server that still answers, None: the connection closed.
        self.assertEqual(set(statuses.values()) - {200, 503, 404, None}, set())
        self.assertGreaterEqual(len(answered), 200)
        self.assertLess(len(answered), len(bodies), "stop came after every request")
        self.assertEqual(len(seen), len(set(seen)), "a request ran twice")
        # Every 200 ran; a run without a 200 seen is a request whose answer
        # the stop cut off (its connection closed).
        self.assertEqual(answered - set(seen), set())
        self.assertEqual(set(seen) - set(statuses), set())

    def test_stop_with_a_caller_waiting_answers_504_and_the_run_goes_on(self):
        host = Host()
        node, port = self.hook(host, respond="when_finished")
        finished = []

        async def scenario():
            entered, release = asyncio.Event(), asyncio.Event()

            async def handler(run):
                entered.set()
                await release.wait()
                finished.append(run.outputs["received_data"])
                return Reply(200, b"too late")

            node.start(handler)
            waiting = asyncio.create_task(asyncio.to_thread(post, port, b"slow"))
            await entered.wait()
            node.stop()  # the webhook's grace passes: the outcome is cancelled
            answer = await waiting
            release.set()
            await host.drain()
            return answer

        answer = asyncio.run(scenario())
        self.assertEqual((answer[0], error_of(answer)),
                         (504, "the node stopped before the run finished; the run goes on"))
        self.assertEqual(finished, [b"slow"])

    def test_a_handler_that_raises_fails_its_run_only(self):
        host = Host()
        node, port = self.hook(host)
        seen, ids = [], {}

        async def handler(run):
            ids[run.outputs["received_data"]] = run.run_id
            if run.outputs["received_data"] == b"boom":
                raise ValueError("boom")
            seen.append(run.outputs["received_data"])

        async def scenario():
            node.start(handler)
            answers = [await asyncio.to_thread(post, port, body) for body in (b"a", b"boom", b"b")]
            node.stop()
            await host.drain()
            return answers

        with self.assertLogs("nbhost", "ERROR") as logs:
            answers = asyncio.run(scenario())
        self.assertEqual([a[0] for a in answers], [200, 200, 200])
        self.assertEqual(seen, [b"a", b"b"])
        self.assertEqual([r.getMessage() for r in logs.records],
                         [f"[node hook] run {ids[b'boom']} failed: ValueError: boom"])

    def test_a_failed_run_answers_500_to_a_caller_that_waits(self):
        host = Host()
        node, port = self.hook(host, respond="when_finished")

        async def handler(run):
            if run.outputs["received_data"] == b"boom":
                raise ValueError("boom")
            if run.outputs["received_data"] == b"odd":
                return 42
            if run.outputs["received_data"] == b"bad":
                return Reply(700)

        async def scenario():
            node.start(handler)
            answers = [await asyncio.to_thread(post, port, body)
                       for body in (b"boom", b"odd", b"bad", b"ok")]
            node.stop()
            return answers

        with self.assertLogs("nbhost", "ERROR"):
            boom, odd, bad, ok = asyncio.run(scenario())
        self.assertEqual((boom[0], error_of(boom)), (500, 'node "hook" failed: ValueError: boom'))
        self.assertEqual((odd[0], error_of(odd)), (500, 'node "hook" failed: TypeError: the handler '
                                                   'returned int; it may return an nbhost.Reply or None'))
        self.assertEqual((bad[0], error_of(bad)), (500, 'node "hook" failed: ValueError: the '
                                                   "handler's reply cannot be sent: status 700 is "
                                                   'not in 200-599'))
        self.assertEqual((ok[0], ok[2]), (200, b'{"status":"ok"}'))

    def test_the_reply_a_coroutine_returns_reaches_the_client(self):
        host = Host()
        node, port = self.hook(host, respond="when_finished")

        async def handler(run):
            await asyncio.sleep(0)
            return Reply(201, json.dumps({"echo": run.text("received_data")}, ensure_ascii=False),
                         "application/json; charset=utf-8", {"X-Run": str(run.run_id)})

        async def scenario():
            node.start(handler)
            answer = await asyncio.to_thread(post, port, "caf\u00e9".encode())
            node.stop()
            return answer

        status, headers, body = asyncio.run(scenario())
        self.assertEqual((status, body), (201, '{"echo": "caf\u00e9"}'.encode()))
        self.assertEqual(headers["content-type"], "application/json; charset=utf-8")
        self.assertTrue(headers["x-run"].isdigit())

    def test_a_reply_node_executed_in_the_run_answers_and_wins(self):
        host = Host()
        node, port = self.hook(host, respond="when_finished")
        reply = self.plugin.create_node("events.webhook_reply", "reply", host)
        self.addCleanup(reply.destroy)
        reply.set_widget("status", 202)
        reply.set_widget("content_type", "text/plain")
        reply.set_widget("headers", '{"X-From":"reply-node"}')
        ids = []

        async def handler(run):
            ids.append(run.run_id)
            self.assertEqual(await run.execute(reply, {"body": run.outputs["received_data"]}), {})
            return Reply(299, b"second")

        async def scenario():
            node.start(handler)
            answer = await asyncio.to_thread(post, port, b"from the node")
            node.stop()
            return answer

        with self.assertLogs("nbhost", "WARNING") as logs:
            status, headers, body = asyncio.run(scenario())
        self.assertEqual((status, body, headers["content-type"], headers["x-from"]),
                         (202, b"from the node", "text/plain", "reply-node"))
        self.assertEqual([r.getMessage() for r in logs.records],
                         [f"[node hook] run {ids[0]}: the handler's reply is ignored: a node of "
                          "the run replied first"])

    def test_a_reply_nobody_waits_for_is_ignored_with_one_warning(self):
        host = Host()
        node, port = self.hook(host)

        async def scenario():
            node.start(lambda run: Reply(201, b"unseen"))
            answers = [await asyncio.to_thread(post, port, b"x") for _ in range(2)]
            node.stop()
            await host.drain()
            return answers

        with self.assertLogs("nbhost", "WARNING") as logs:
            answers = asyncio.run(scenario())
        self.assertEqual([(a[0], a[2]) for a in answers], [(200, b'{"status":"ok"}')] * 2)
        self.assertEqual([r.getMessage() for r in logs.records], [
            "[node hook] the handler's replies are ignored: nobody waits for them (set "
            "respond=when_finished on the webhook to answer with them)"])

    def test_the_run_sees_the_request(self):
        host = Host()
        node, port = self.hook(host)
        runs = []

        async def scenario():
            node.start(runs.append)
            await asyncio.to_thread(post, port, b"{}", "/webhook?x=1&y=two", {"X-Test": "yes"})
            node.stop()
            await host.drain()

        asyncio.run(scenario())
        [run] = runs
        self.assertEqual((run.node, run.event.method, run.event.path, run.event.query),
                         (node, "POST", "/webhook", {"x": "1", "y": "two"}))
        self.assertEqual(run.event.headers["x-test"], "yes")
        self.assertTrue(run.event.remote_addr.startswith("127.0.0.1:"), run.event.remote_addr)
        self.assertEqual(json.loads(run.outputs["query"]), {"x": "1", "y": "two"})
        self.assertFalse(run.awaited)

    def test_a_full_queue_answers_503_with_either_trigger(self):
        for offer_async in (True, False):
            with self.subTest(offer_async=offer_async):
                host = Host(max_pending=2, offer_async=offer_async)
                node, port = self.hook(host, node_id=f"hook{int(offer_async)}")
                seen = []

                async def scenario():
                    release = asyncio.Event()

                    async def handler(run):
                        await release.wait()
                        seen.append(run.outputs["received_data"])

                    node.start(handler)
                    answers = [await asyncio.to_thread(post, port, b) for b in (b"1", b"2", b"3")]
                    release.set()
                    node.stop()
                    await host.drain()
                    return answers

                first, second, third = asyncio.run(scenario())
                self.assertEqual((first[0], second[0]), (200, 200))
                self.assertEqual((third[0], error_of(third), third[1]["retry-after"]),
                                 (503, "the workflow queue is full; retry later", "1"))
                self.assertEqual(sorted(seen), [b"1", b"2"])


if __name__ == "__main__":
    unittest.main()
