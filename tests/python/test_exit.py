"""The interpreter exits cleanly with a plugin loaded and a webhook started
while requests pour in (no crash, no callback after deinit), and the
example python/examples/webhook_to_coroutine.py works as its docstring says."""
import json
import os
import signal
import subprocess
import sys
import threading
import unittest

from harness import Process, free_port
from http_clients import post, post_many
from nbhost_paths import SOURCE_ROOT, WEBHOOK

# What a crash, an exception or a callback after deinit would print.
BAD = ("Traceback", "Fatal Python error", "Segmentation fault", "Exception ignored",
       "did not create or already destroyed", "Task was destroyed", "AddressSanitizer")
EXAMPLE = os.path.join(SOURCE_ROOT, "python", "examples", "webhook_to_coroutine.py")
WAIT_S = 60.0
# Runs begun before left_loaded.py leaves: fewer than the connections, as
# each connection has one request waiting for its run with when_finished.
RUNS = 10


class Child(Process):
    """A Python child whose lines are collected; stopped by its pid."""

    def __init__(self, args, test):
        super().__init__(args)
        test.addCleanup(self.close)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(WAIT_S)
        for reader in self.readers:
            reader.join(WAIT_S)
        self.proc.stdout.close()
        self.proc.stderr.close()

    def wait_line(self, line):
        with self.cond:
            found = self.cond.wait_for(lambda: line in self.lines or self.closed == 2, WAIT_S)
        if not found or line not in self.lines:
            raise AssertionError(f"no line {line!r}; output: {self.lines}")


class Exit(unittest.TestCase):
    def leave_loaded(self, respond):
        """Runs left_loaded.py under traffic from 16 connections until it
        exits; returns its exit code, its lines and the answers."""
        port = free_port()
        child = Child([sys.executable, os.path.join(os.path.dirname(__file__), "left_loaded.py"),
                       WEBHOOK, str(port), respond, str(RUNS)], self)
        child.wait_line("listening")
        answers = {}
        clients = threading.Thread(target=lambda: answers.update(
            post_many(port, [b"%d" % i for i in range(20000)], 16)))
        clients.start()
        code = child.proc.wait(timeout=WAIT_S)
        clients.join(WAIT_S)
        self.assertFalse(clients.is_alive(), "a client still waits after the host exited")
        for reader in child.readers:
            reader.join(WAIT_S)
        return code, child.lines, answers

    def check_clean(self, code, lines):
        self.assertEqual(code, 0, lines)
        self.assertEqual([line for line in lines if any(b in line for b in BAD)], [])
        self.assertIn("finalized", lines)  # the interpreter got to its last atexit hook

    def test_exit_with_the_webhook_started_under_load(self):
        code, lines, answers = self.leave_loaded("immediately")
        self.check_clean(code, lines)
        self.assertIn("leaving", lines)
        self.assertGreaterEqual(list(answers.values()).count(200), RUNS)

    def test_exit_with_callers_waiting_for_their_runs(self):
        code, lines, answers = self.leave_loaded("when_finished")
        self.check_clean(code, lines)
        # The runs the loop's end cancelled fail (500); the rest of the
        # callers are refused or cut off: none is told 200.
        self.assertNotIn(200, answers.values())
        self.assertIn(500, answers.values())


class Example(unittest.TestCase):
    def start_example(self, *args):
        port = free_port()
        child = Child([sys.executable, EXAMPLE, "--port", str(port), "--plugin", WEBHOOK, *args],
                      self)
        child.wait_line(f"listening: http://0.0.0.0:{port}/webhook (node hook)")
        return child, port

    def stop_example(self, child):
        child.proc.send_signal(signal.SIGINT)
        self.assertEqual(child.proc.wait(timeout=WAIT_S), 0, child.lines)
        child.wait_line("stopped")

    def test_each_payload_is_printed_by_the_coroutine(self):
        child, port = self.start_example()
        status, _, body = post(port, b"hello")
        self.assertEqual((status, body), (200, b'{"status":"ok"}'))
        child.wait_line("[run 1] hello")
        self.stop_example(child)

    def test_respond_answers_with_the_handlers_reply(self):
        child, port = self.start_example("--respond")
        status, headers, body = post(port, b"hello")
        self.assertEqual((status, json.loads(body), headers["content-type"]),
                         (200, {"received": "hello"}, "application/json"))
        child.wait_line("[run 1] hello")
        self.stop_example(child)


if __name__ == "__main__":
    unittest.main()
