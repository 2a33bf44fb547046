"""Plugin.load and the descriptors: every node type of both plugins is
described as `nb-host describe` prints it and as its manifest says; a
library that is no usable plugin is refused with the reason nb-host gives."""
import glob
import json
import os
import subprocess
import unittest

from nbhost_paths import BASIC, NB_HOST, SOURCE_ROOT, WEBHOOK, fixture
from nbhost import Event, Host, Plugin, PluginError


def describe(node_type):
    out = subprocess.run([NB_HOST, "describe", node_type], capture_output=True, text=True,
                         check=True, timeout=60)
    return json.loads(out.stdout)


class Descriptors(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.plugins = [Plugin.load(WEBHOOK), Plugin.load(BASIC)]

    @classmethod
    def tearDownClass(cls):
        for p in cls.plugins:
            p.close()

    def descriptors(self):
        return [d for p in self.plugins for d in p.descriptors]

    def test_both_plugins_list_their_node_types(self):
        self.assertEqual([d.id for d in self.plugins[0].descriptors],
                         ["events.webhook", "events.webhook_reply"])
        self.assertEqual([d.id for d in self.plugins[1].descriptors],
                         ["basic.log", "basic.json_get", "basic.file_append"])
        self.assertEqual([p.abi for p in self.plugins], ["1.1.0", "1.1.0"])
        self.assertEqual([p.skipped for p in self.plugins], [[], []])

    def test_every_descriptor_equals_nb_host_describe(self):
        for d in self.descriptors():
            with self.subTest(node_type=d.id):
                self.assertEqual(d.to_manifest(), describe(d.id))

    def test_every_descriptor_equals_its_manifest(self):
        manifests = sorted(glob.glob(os.path.join(SOURCE_ROOT, "manifests", "nodes", "*.json")))
        self.assertEqual([os.path.basename(m)[:-len(".json")] for m in manifests],
                         sorted(d.id for d in self.descriptors()))
        for path in manifests:
            with open(path, encoding="utf-8") as f:
                manifest = json.load(f)
            with self.subTest(manifest=path):
                ours = next(d for d in self.descriptors() if d.id == manifest["id"])
                self.assertEqual(ours.to_manifest(), manifest)

    def test_widgets_are_python_objects_with_defaults_and_ranges(self):
        webhook = self.plugins[0].descriptor("events.webhook")
        self.assertTrue(webhook.is_event_source)
        port = webhook.widget("port")
        self.assertEqual((port.kind, port.default, port.min, port.max), ("number", "8181", 1024, 65535))
        respond = webhook.widget("respond")
        self.assertEqual((respond.kind, respond.default, respond.choices),
                         ("choice", "immediately", ("immediately", "when_finished")))
        self.assertEqual([s.name for s in webhook.outputs], ["received_data", "headers", "query"])
        self.assertFalse(self.plugins[1].descriptor("basic.log").is_event_source)
        self.assertIsNone(self.plugins[1].descriptor("basic.nothing"))


class Loading(unittest.TestCase):
    def test_a_1_0_plugin_loads_and_none_of_its_1_1_fields_is_read(self):
        # Its node ends at a PROT_NONE page: reading get_extension would crash.
        with Plugin.load(fixture("test_good")) as p:
            self.assertEqual(p.abi, "1.0.0")
            node = p.create_node("test.source", "src", Host())
            self.assertEqual(node.listen_addresses(), [])
            self.assertEqual(node.execute(event=Event(body=b"abc")),
                             {"received_data": b"abc"})

    def test_another_major_is_refused(self):
        path = fixture("test_bad_abi")
        with self.assertRaises(PluginError) as e:
            Plugin.load(path)
        self.assertEqual(str(e.exception), f"{path}: incompatible ABI 2.0.0 (host speaks 1.x)")

    def test_a_failed_init_is_refused(self):
        with self.assertRaises(PluginError) as e:
            Plugin.load(fixture("test_init_fails"))
        self.assertEqual(e.exception.why, "init returned false")

    def test_a_library_without_the_entry_is_refused(self):
        with self.assertRaises(PluginError) as e:
            Plugin.load(fixture("test_no_entry"))
        self.assertEqual(e.exception.why, "no nb_plugin_entry symbol")

    def test_a_file_that_is_no_library_is_refused(self):
        path = os.path.join(SOURCE_ROOT, "README.md")
        with self.assertRaises(PluginError) as e:
            Plugin.load(path)
        self.assertTrue(e.exception.why.startswith("not a loadable shared library: "), e.exception.why)

    def test_a_node_type_with_another_major_is_skipped_with_its_reason(self):
        with Plugin.load(fixture("test_node_bad_abi")) as p:
            self.assertEqual(p.descriptors, [])
            self.assertEqual(p.skipped,
                             ['node type "test.source": incompatible ABI 2.0.0 (host speaks 1.x)'])


if __name__ == "__main__":
    unittest.main()
