"""Nodes driven through nbhost without HTTP: widgets and their refusals with
the plugin's own message, start and stop errors, execute with inputs or an
injected event, outputs read by socket name, nbhost's own guards, and the
host's callbacks as a buggy plugin would call them."""
import asyncio
import ctypes
import threading
import unittest

from harness import free_port
from nbhost_paths import BASIC, WEBHOOK
from nbhost import (ClosedError, Event, Host, NbError, NodeError, Plugin, Reply, ThreadError,
                    WidgetError, abi)
from nbhost.event import EventStruct
from nbhost.reply import ReplyStruct


class Nodes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.webhook = Plugin.load(WEBHOOK)
        cls.basic = Plugin.load(BASIC)

    @classmethod
    def tearDownClass(cls):
        cls.webhook.close()
        cls.basic.close()

    def setUp(self):
        self.host = Host()
        self.hook = self.webhook.create_node("events.webhook", "hook", self.host)
        self.addCleanup(self.hook.destroy)

    def refusal(self, node, name, value):
        with self.assertRaises(WidgetError) as e:
            node.set_widget(name, value)
        return e.exception

    def test_a_bad_widget_value_raises_with_the_plugins_message(self):
        e = self.refusal(self.hook, "port", 80)
        self.assertEqual(str(e), 'node "hook": port must be an integer in 1024\u201365535, got "80"')
        self.assertEqual((e.status, e.status_name, e.call), (abi.ERR_INVALID, "NB_ERR_INVALID", "set_widget"))
        self.assertEqual(str(self.refusal(self.hook, "respond", "later")),
                         'node "hook": respond must be immediately or when_finished, got "later"')
        self.assertEqual(self.hook.get_widget("port"), "8181")  # the previous value stays

    def test_an_unknown_widget_raises_unknown(self):
        e = self.refusal(self.hook, "colour", "red")
        self.assertEqual(e.status, abi.ERR_UNKNOWN)
        self.assertTrue(str(e).startswith('node "hook": unknown widget "colour"; the webhook has port, '),
                        str(e))
        self.assertIsNone(self.hook.get_widget("colour"))

    def test_widgets_read_back_as_text(self):
        self.hook.set_widget("port", 9191)
        self.hook.set_widget("path", "/in")
        widgets = self.hook.widgets()
        self.assertEqual((widgets["port"], widgets["path"], widgets["respond"]),
                         ("9191", "/in", "immediately"))
        self.assertEqual(list(widgets), [w.name for w in self.hook.descriptor.widgets])

    def test_start_errors_carry_the_plugins_message(self):
        port = free_port()
        self.hook.set_widget("port", port)
        self.hook.set_widget("bind", "127.0.0.1")

        async def scenario():
            self.hook.start()
            with self.assertRaises(NodeError) as twice:
                self.hook.start()
            other = self.webhook.create_node("events.webhook", "other", self.host)
            other.set_widget("port", port)
            other.set_widget("bind", "127.0.0.1")
            with self.assertRaises(NodeError) as taken:
                other.start()
            other.destroy()
            self.hook.stop()
            return twice.exception, taken.exception

        twice, taken = asyncio.run(scenario())
        self.assertEqual((str(twice), twice.status), ('node "hook": already listening; stop it first',
                                                      abi.ERR_STATE))
        self.assertEqual((str(taken), taken.status),
                         (f'node "other": port {port} path "/webhook" is already in use by node '
                          '"hook"; node "other" cannot listen there too', abi.ERR_IN_USE))

    def test_a_started_source_says_where_it_listens(self):
        port = free_port()
        self.hook.set_widget("port", port)
        self.hook.set_widget("bind", "::1")

        async def scenario():
            self.hook.start()
            addresses = self.hook.listen_addresses()
            self.hook.stop()
            return addresses, self.hook.listen_addresses()

        started, stopped = asyncio.run(scenario())
        self.assertEqual([a.url for a in started], [f"http://[::1]:{port}/webhook"])
        self.assertEqual(stopped, [])

    def test_an_event_source_needs_a_loop_to_start(self):
        with self.assertRaises(NbError) as e:
            self.hook.start()
        self.assertEqual(str(e.exception), "node 'hook': start needs the asyncio loop its runs go to: "
                         "call it from a coroutine or pass loop=")
        self.assertFalse(self.hook.started)

    def test_when_finished_needs_the_async_trigger(self):
        host = Host(offer_async=False)
        node = self.webhook.create_node("events.webhook", "old", host)
        self.addCleanup(node.destroy)
        node.set_widget("respond", "when_finished")
        node.set_widget("port", free_port())
        loop = asyncio.new_event_loop()
        self.addCleanup(loop.close)
        with self.assertRaises(NodeError) as e:
            node.start(loop=loop)
        self.assertEqual(str(e.exception), 'node "old": respond=when_finished needs a host that answers '
                         'later (ABI 1.1, nb.async_trigger/1); this host has no such extension: use '
                         'respond=immediately')

    def test_execute_turns_an_injected_event_into_outputs(self):
        body = "caf\u00e9 \x00 {\"x\": 1}".encode()
        event = Event("POST", "/webhook", body, '{"x-a":"1"}', '{"q":"2"}', "127.0.0.1:5000",
                      b"delivery-1", 60)
        self.assertEqual(self.hook.execute(event=event),
                         {"received_data": body, "headers": b'{"x-a":"1"}', "query": b'{"q":"2"}'})

    def test_execute_without_an_event_fails_with_the_plugins_message(self):
        with self.assertRaises(NodeError) as e:
            self.hook.execute()
        self.assertEqual((str(e.exception), e.exception.status), (
            'node "hook": no event in this run: a webhook node only runs for a request it received',
            abi.ERR_STATE))

    def test_execute_reads_inputs_and_writes_outputs_by_socket_name(self):
        pick = self.basic.create_node("basic.json_get", "pick", self.host)
        self.addCleanup(pick.destroy)
        pick.set_widget("pointer", "/user/name")
        self.assertEqual(pick.execute({"json": '{"user":{"name":"Ada"}}'}), {"value": b"Ada"})
        with self.assertRaises(NodeError) as e:
            pick.execute({"json": b'{"user":{}}'})
        self.assertEqual(str(e.exception), 'pointer "/user/name" selects nothing: no "name" in the '
                         'value at "/user"')
        with self.assertRaises(NodeError) as e:
            pick.execute({})
        self.assertEqual(str(e.exception), 'input "json" received no value')

    def test_a_reply_nobody_awaits_is_ignored_with_the_plugins_warning(self):
        reply = self.webhook.create_node("events.webhook_reply", "reply", self.host)
        self.addCleanup(reply.destroy)
        with self.assertLogs("nbhost", "WARNING") as logs:
            self.assertEqual(reply.execute({"body": "hi"}), {})
        self.assertEqual([r.getMessage() for r in logs.records], [
            "[node reply] nobody waits for this reply: the webhook that started the run answers "
            "immediately (or no request started it), so the reply is ignored; set "
            "respond=when_finished on the webhook to answer with it"])

    def test_main_thread_calls_from_another_thread_are_refused(self):
        errors = []

        def elsewhere():
            try:
                self.hook.set_widget("port", 9000)
            except ThreadError as e:
                errors.append(str(e))

        t = threading.Thread(target=elsewhere)
        t.start()
        t.join()
        self.assertEqual(errors, ["set_widget is [main-thread]: call it from the thread that "
                                  "loaded the plugin"])
        self.assertEqual(self.hook.get_widget("port"), "8181")

    def test_a_destroyed_node_refuses_every_call(self):
        node = self.webhook.create_node("events.webhook", "gone", self.host)
        node.destroy()
        node.destroy()  # harmless
        with self.assertRaises(ClosedError):
            node.set_widget("port", 9000)
        with self.assertRaises(ClosedError):
            node.execute(event=Event())

    def test_a_closed_plugin_destroys_its_nodes_and_refuses_more(self):
        plugin = Plugin.load(BASIC)
        node = plugin.create_node("basic.log", "show", self.host)
        plugin.close()
        with self.assertRaises(ClosedError):
            node.get_widget("x")
        with self.assertRaises(ClosedError):
            plugin.create_node("basic.log", "again", self.host)


class HostCallbacks(unittest.TestCase):
    """The host's functions called through their C pointers, as a plugin
    does, with what a buggy plugin passes: refused and logged, never an
    exception into C."""

    def setUp(self):
        self.host = Host()
        self.event = EventStruct(Event(body=b"x"))
        self.addCleanup(self.event.close)

    def extension(self, ext_id, host=None):
        host = host or self.host
        return host.struct.get_extension(host.address, ext_id)

    def submit(self, node_address):
        """The outcomes delivered for one submit: (kind, refusal, message)."""
        outcomes = []

        def deliver(_sink, outcome):
            o = abi.Outcome.from_address(outcome)
            outcomes.append((o.kind, o.refusal, o.message.decode()))

        sink = abi.OutcomeSink(None, abi.SinkDeliver(deliver))
        ext = abi.HostAsyncTrigger.from_address(self.extension(abi.EXT_ASYNC_TRIGGER))
        ext.submit(self.host.address, node_address, self.event.address, 0, ctypes.addressof(sink))
        return outcomes

    def test_the_extensions_offered(self):
        self.assertIsNone(self.extension(b"nb.unknown/1"))
        self.assertEqual(abi.HostAsyncTrigger.from_address(self.extension(abi.EXT_ASYNC_TRIGGER)).flags, 0)
        self.assertIsNotNone(self.extension(abi.EXT_RUN_REPLY))
        self.assertIsNone(self.extension(abi.EXT_ASYNC_TRIGGER, Host(offer_async=False)))

    def test_a_trigger_for_an_unknown_node_fails_and_is_logged(self):
        with self.assertLogs("nbhost", "ERROR") as logs:
            self.assertEqual(self.host.struct.trigger(self.host.address, 0xDEAD, self.event.address),
                             abi.TRIGGER_FAILED)
        self.assertEqual([r.getMessage() for r in logs.records], [
            "trigger for a node this host did not create or already destroyed (a plugin bug): ignored"])

    def test_a_submit_for_an_unknown_node_is_refused(self):
        with self.assertLogs("nbhost", "ERROR"):
            self.assertEqual(self.submit(0xDEAD), [(abi.OUTCOME_REFUSED, abi.REFUSED_SHUTTING_DOWN,
                                                    "nbhost does not know this node")])

    def test_a_submit_while_no_loop_runs_is_refused(self):
        with Plugin.load(WEBHOOK) as plugin:
            node = plugin.create_node("events.webhook", "idle", self.host)
            self.assertEqual(self.submit(node.address), [(abi.OUTCOME_REFUSED, abi.REFUSED_SHUTTING_DOWN,
                                                          "the asyncio loop of nbhost is not running")])

    def test_a_reply_outside_execute_is_invalid(self):
        set_reply = abi.HostRunReply.from_address(self.extension(abi.EXT_RUN_REPLY)).set_reply
        reply = ReplyStruct(Reply(200, b"x"))
        self.assertEqual(set_reply(self.host.address, 0xBEEF, reply.address), abi.REPLY_INVALID)
        self.assertEqual(set_reply(self.host.address, 0xBEEF, None), abi.REPLY_INVALID)


if __name__ == "__main__":
    unittest.main()
