"""The layering holds: no two source folders include each other, directly or
through others, and the HTTP server library knows nothing of webhooks or hosts.

Usage: test_layers.py SOURCE_ROOT
Resolves every #include "..." of the project's C and C++ sources the way the
build does (the including file's folder, then the include roots) and checks
the graph of folders for cycles.
"""
import os
import re
import sys
import unittest

ROOT = os.path.abspath(sys.argv.pop(1)) if len(sys.argv) > 1 else os.getcwd()
SOURCE_DIRS = ["common", "include", "net", "plugin", "host_stub"]
# Where the build looks for "dir/file.hpp" includes.
INCLUDE_ROOTS = ["net", "plugin/webhook", "plugin/basic", "host_stub", "common", "include"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def sources():
    for top in SOURCE_DIRS:
        for folder, _, files in os.walk(os.path.join(ROOT, top)):
            for name in files:
                if name.endswith((".c", ".cpp", ".h", ".hpp")):
                    yield os.path.join(folder, name)


def resolve(including, path):
    for base in [os.path.dirname(including)] + [os.path.join(ROOT, r) for r in INCLUDE_ROOTS]:
        candidate = os.path.normpath(os.path.join(base, path))
        if os.path.isfile(candidate):
            return candidate
    return None


def folder_graph():
    graph = {}
    for path in sources():
        here = os.path.relpath(os.path.dirname(path), ROOT)
        graph.setdefault(here, set())
        with open(path, encoding="utf-8") as f:
            for included in INCLUDE.findall(f.read()):
                target = resolve(path, included)
                if target:
                    there = os.path.relpath(os.path.dirname(target), ROOT)
                    if there != here:
                        graph[here].add(there)
    return graph


def cycles(graph):
    """Each folder that reaches itself again, with the path that does."""
    found = []
    for start in sorted(graph):
        stack = [(start, [start])]
        seen = set()
        while stack:
            node, trail = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    found.append(" -> ".join(trail + [start]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, trail + [nxt]))
    return found


def reaches(graph, start, prefix):
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        for nxt in graph.get(node, ()):
            if nxt.startswith(prefix):
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


class Layers(unittest.TestCase):
    def setUp(self):
        self.graph = folder_graph()

    def test_the_graph_is_read(self):
        self.assertIn("plugin/webhook/node", self.graph)
        self.assertIn("net/server", self.graph["plugin/webhook/node"])

    def test_no_folders_include_each_other(self):
        self.assertEqual(cycles(self.graph), [])

    def test_the_server_library_knows_no_webhook_and_no_host(self):
        for folder in ("net/http", "net/server"):
            self.assertFalse(reaches(self.graph, folder, "plugin"), folder)
            self.assertFalse(reaches(self.graph, folder, "host_stub"), folder)
        self.assertFalse(reaches(self.graph, "net/http", "net/server"))

    def test_auth_and_widgets_stand_apart(self):
        self.assertFalse(reaches(self.graph, "plugin/webhook/auth", "plugin/webhook/widgets"))

    def test_a_cycle_is_found(self):
        self.assertEqual(cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}),
                         ["a -> b -> c -> a", "b -> c -> a -> b", "c -> a -> b -> c"])


if __name__ == "__main__":
    unittest.main()
