#!/usr/bin/env python3
"""What an operator sees of a running nb-host, end to end, with the real
plugins and the real promtool: `--admin`'s /metrics after traffic of every
kind (counts equal what was sent, per node and code and reason), and
`--access-log` under load (one JSON line per request, no body, no secret; a
log nobody drains drops and counts instead of holding answers).

  observability.py --nb-host BIN [--access-requests N] [-v] [unittest args]

Plugins are found through NB_PLUGIN_PATH, as nb-host finds them.
"""
import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import Process, free_port  # noqa: E402

NB_HOST = None
ACCESS_REQUESTS = 10000
START_LIMIT_S = 30  # sanitizer builds start slowly
EXIT_LIMIT_S = 30
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
TOKEN = "tok-3f9a1c-never-in-a-log"
BODY_MARKER = "body-marker-never-in-a-log"
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


class Host(Process):
    """One `nb-host run` process, its output lines collected."""

    def __init__(self, args):
        self.ready = threading.Event()
        super().__init__([NB_HOST, "run"] + args)

    def on_line(self, line):
        if line.startswith("listening:"):
            self.ready.set()

    def wait_listening(self, listeners):
        deadline = time.monotonic() + START_LIMIT_S
        with self.cond:
            while sum(l.startswith("listening:") for l in self.lines) < listeners:
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    self.stop()
                    raise AssertionError("nb-host did not listen:\n" + self.output())
                self.cond.wait(left)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(EXIT_LIMIT_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        for t in self.readers:
            t.join()
        self.proc.stdout.close()
        self.proc.stderr.close()
        return code

    def output(self):
        with self.cond:
            return "\n".join(self.lines)


def webhook(node_id, port, path, **widgets):
    return {"id": node_id, "type": "events.webhook",
            "widgets": dict(port=port, path=path, **{k: v for k, v in widgets.items()})}


def sink(node_id, file):
    return {"id": node_id, "type": "basic.file_append", "widgets": {"file": file, "format": "json"}}


def edge(source, target):
    return {"from": source + ".received_data", "to": target + ".text"}


def request(port, method, path, body=b"", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        reply = conn.getresponse()
        return reply.status, reply.read()
    finally:
        conn.close()


def raw_exchange(port, data, wait_s=10.0):
    """Sends `data` as it is; returns the answer's status (0: none)."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait_s) as s:
        s.sendall(data)
        got = b""
        try:
            while b"\r\n" not in got:
                chunk = s.recv(4096)
                if not chunk:
                    break
                got += chunk
        except socket.timeout:
            pass
    match = re.match(rb"HTTP/1\.1 (\d{3}) ", got)
    return int(match.group(1)) if match else 0


def standard_webhooks_headers(delivery_id, timestamp, body):
    key = base64.b64decode(SECRET[len("whsec_"):])
    signed = f"{delivery_id}.{timestamp}.".encode() + body
    signature = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return {"webhook-id": delivery_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": "v1," + signature}


def scrape(admin_port, path="/metrics"):
    conn = http.client.HTTPConnection("127.0.0.1", admin_port, timeout=10)
    try:
        conn.request("GET", path)
        reply = conn.getresponse()
        return reply.status, reply.getheader("Content-Type"), reply.read().decode()
    finally:
        conn.close()


def parse_exposition(text):
    """{(name, frozenset(labels.items())): value} of every sample."""
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        if not match:
            raise AssertionError(f"not a sample line: {line!r}")
        labels = frozenset(LABEL.findall(match.group(2) or ""))
        samples[(match.group(1), labels)] = float(match.group(3))
    return samples


def total(samples, name):
    return sum(v for (n, _), v in samples.items() if n == name)


def settled_scrape(admin_port, settled, limit_s=10.0):
    """The first scrape whose samples satisfy `settled` (the last one when
    none does within `limit_s`)."""
    deadline = time.monotonic() + limit_s
    while True:
        status, content_type, text = scrape(admin_port)
        if settled(parse_exposition(text)) or time.monotonic() > deadline:
            return status, content_type, text
        time.sleep(0.05)


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())), 0.0)


def promtool_check(test, text):
    promtool = shutil.which("promtool")
    test.assertIsNotNone(promtool, "promtool (Debian package prometheus) is needed")
    checked = subprocess.run([promtool, "check", "metrics"], input=text, text=True,
                             capture_output=True, timeout=60)
    test.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr)


def wait_lines(path, count, limit_s=30.0):
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path, "rb") as f:
                if f.read().count(b"\n") >= count:
                    return
        time.sleep(0.05)


class Folder(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="nb-observability-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def workflow(self, nodes, edges):
        path = os.path.join(self.dir, "wf.json")
        with open(path, "w") as f:
            json.dump({"name": "observed", "nodes": nodes, "edges": edges}, f)
        return path


class MetricsAfterTraffic(Folder):
    """Every kind of answer, then one scrape that promtool accepts and whose
    counts equal what was sent."""

    def test_counts_per_node_code_and_reason(self):
        port, admin = free_port(), free_port()
        runs_file = os.path.join(self.dir, "runs.jsonl")
        fifo = os.path.join(self.dir, "blocked.fifo")
        os.mkfifo(fifo)
        wf = self.workflow(
            [webhook("plain", port, "/plain", max_body_bytes=64, read_timeout_s=1),
             webhook("signed", port, "/signed", auth="standard-webhooks", secret=SECRET,
                     tolerance_s=60, dedupe_window_s=600, read_timeout_s=1),
             webhook("guarded", port, "/guarded", allow_from="10.0.0.0/8", read_timeout_s=1),
             webhook("blocked", port, "/blocked", read_timeout_s=1),
             sink("plain_sink", runs_file), sink("signed_sink", runs_file),
             sink("guarded_sink", runs_file), sink("blocked_sink", fifo)],
            [edge("plain", "plain_sink"), edge("signed", "signed_sink"),
             edge("guarded", "guarded_sink"), edge("blocked", "blocked_sink")])
        host = Host([wf, "--journal", "off", "--workers", "1", "--queue", "1",
                     "--admin", f"127.0.0.1:{admin}"])
        reader = None
        try:
            host.wait_listening(4)
            status, _, body = scrape(admin, "/readyz")
            self.assertEqual(status, 200, body)

            # plain: 5 accepted, 2 wrong methods, too large, bad UTF-8,
            # malformed chunks, a body that never ends.
            for i in range(5):
                self.assertEqual(request(port, "POST", "/plain", b'{"n":%d}' % i)[0], 200)
            for _ in range(2):
                self.assertEqual(request(port, "GET", "/plain")[0], 405)
            self.assertEqual(request(port, "POST", "/plain", b"x" * 100)[0], 413)
            self.assertEqual(request(port, "POST", "/plain", b"\xff\xfe")[0], 400)
            self.assertEqual(raw_exchange(port, b"POST /plain HTTP/1.1\r\nHost: x\r\n"
                                          b"Transfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n"), 400)
            self.assertEqual(raw_exchange(port, b"POST /plain HTTP/1.1\r\nHost: x\r\n"
                                          b"Content-Length: 10\r\n\r\nabc"), 408)

            # signed: 2 accepted, a repeated delivery, a bad signature, an old timestamp.
            now = int(time.time())
            for delivery in ("d1", "d2", "d1"):
                body = b'{"delivery":"%s"}' % delivery.encode()
                status, answer = request(port, "POST", "/signed", body,
                                         standard_webhooks_headers(delivery, now, body))
                self.assertEqual(status, 200, answer)
            self.assertIn(b'"duplicate":true', answer)
            bad = standard_webhooks_headers("d3", now, b"{}")
            bad["webhook-signature"] = "v1," + base64.b64encode(b"0" * 32).decode()
            self.assertEqual(request(port, "POST", "/signed", b"{}", bad)[0], 401)
            old = now - 3600
            self.assertEqual(request(port, "POST", "/signed", b"{}",
                                     standard_webhooks_headers("d4", old, b"{}"))[0], 401)

            # guarded: 127.0.0.1 is not in 10.0.0.0/8.
            self.assertEqual(request(port, "POST", "/guarded", b"{}")[0], 403)

            # reaching no node: an unknown path, a head that is not HTTP.
            self.assertEqual(request(port, "POST", "/nope", b"{}")[0], 404)
            self.assertEqual(raw_exchange(port, b"NOT HTTP AT ALL\r\n\r\n"), 400)

            wait_lines(runs_file, 7)
            # blocked: its run waits on a FIFO nobody reads, the next event
            # fills the one-slot queue, and the one after is refused.
            self.assertEqual(request(port, "POST", "/blocked", b"1")[0], 200)
            self.assertEqual(request(port, "POST", "/blocked", b"2")[0], 200)
            self.assertEqual(request(port, "POST", "/blocked", b"3")[0], 503)

            # An exchange is counted once its answer's last byte is out: the
            # client may read the answer first.
            status, content_type, text = settled_scrape(
                admin, lambda m: total(m, "nb_webhook_requests_total") == 20 and
                total(m, "nb_webhook_unrouted_requests_total") == 2)
            self.assertEqual(status, 200)
            self.assertEqual(content_type, "text/plain; version=0.0.4; charset=utf-8")
            promtool_check(self, text)
            m = parse_exposition(text)

            def requests(node, code):
                return value(m, "nb_webhook_requests_total", node=node, code=str(code))

            def refusals(node, reason):
                return value(m, "nb_webhook_refusals_total", node=node, reason=reason)

            self.assertEqual(requests("plain", 200), 5)
            self.assertEqual(requests("plain", 405), 2)
            self.assertEqual(requests("plain", 413), 1)
            self.assertEqual(requests("plain", 400), 2)
            self.assertEqual(requests("plain", 408), 1)
            self.assertEqual(requests("signed", 200), 3)
            self.assertEqual(requests("signed", 401), 2)
            self.assertEqual(requests("guarded", 403), 1)
            self.assertEqual(requests("blocked", 200), 2)
            self.assertEqual(requests("blocked", 503), 1)
            for node, reason, count in [("plain", "method", 2), ("plain", "too_large", 1),
                                        ("plain", "bad_utf8", 1), ("plain", "malformed", 1),
                                        ("plain", "timeout", 1), ("signed", "duplicate", 1),
                                        ("signed", "signature", 1), ("signed", "replay", 1),
                                        ("guarded", "allow_from", 1),
                                        ("blocked", "backpressure", 1)]:
                self.assertEqual(refusals(node, reason), count, f"{node} {reason}")
            self.assertEqual(refusals("plain", "signature"), 0)

            per_node = {}
            for (name, labels), v in m.items():
                if name == "nb_webhook_requests_total":
                    node = dict(labels)["node"]
                    per_node[node] = per_node.get(node, 0) + v
            self.assertEqual(per_node, {"plain": 11, "signed": 5, "guarded": 1, "blocked": 3})
            for node, count in per_node.items():
                self.assertEqual(value(m, "nb_webhook_request_duration_seconds_count", node=node),
                                 count, node)
                self.assertEqual(
                    value(m, "nb_webhook_request_duration_seconds_bucket", node=node, le="+Inf"),
                    count, node)
                self.assertEqual(value(m, "nb_webhook_body_bytes_count", node=node), count, node)
            self.assertGreater(value(m, "nb_webhook_request_duration_seconds_sum", node="plain"), 0)

            self.assertEqual(value(m, "nb_webhook_unrouted_requests_total",
                                   port=str(port), code="404"), 1)
            self.assertEqual(value(m, "nb_webhook_unrouted_requests_total",
                                   port=str(port), code="400"), 1)
            self.assertEqual(value(m, "nb_runs_total", workflow="observed", outcome="succeeded"), 7)
            self.assertEqual(value(m, "nb_run_duration_seconds_count", workflow="observed"), 7)
            self.assertEqual(value(m, "nb_queue_capacity"), 1)
            self.assertEqual(value(m, "nb_queue_depth"), 1)
            for name, _ in m:
                self.assertFalse("/plain" in name or "d1" in name, name)
            for _, labels in m:
                for label, text_value in labels:
                    self.assertNotIn("127.0.0.1", text_value, label)
                    self.assertFalse(text_value.startswith("/"), label)

            status, _, body = scrape(admin, "/healthz")
            self.assertEqual(status, 200, body)
            # Drain the FIFO so the blocked runs finish and nb-host stops.
            reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
            Drain(reader).start()
        finally:
            code = host.stop()
            if reader is not None:
                os.close(reader)
        self.assertEqual(code, 0, host.output())


class Drain(threading.Thread):
    """Reads a FIFO to its end, counting lines."""

    QUIET_S = 0.5

    def __init__(self, fd):
        super().__init__(daemon=True)
        self.fd = fd
        self.lines = 0
        self.last = time.monotonic()

    def run(self):
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                time.sleep(0.01)
                continue
            except OSError:
                return
            if data:
                self.lines += data.count(b"\n")
                self.last = time.monotonic()
            else:
                time.sleep(0.01)

    def wait_quiet(self, limit_s=30.0):
        deadline = time.monotonic() + limit_s
        while time.monotonic() - self.last < self.QUIET_S and time.monotonic() < deadline:
            time.sleep(0.05)


class AccessLog(Folder):
    def token_workflow(self, port, runs_file):
        return self.workflow([webhook("hook", port, "/in", auth="token", secret=TOKEN),
                              sink("keep", runs_file)], [edge("hook", "keep")])

    def test_one_line_per_request_without_body_or_secret(self):
        port = free_port()
        log = os.path.join(self.dir, "access.log")
        wf = self.token_workflow(port, os.path.join(self.dir, "runs.jsonl"))
        host = Host([wf, "--journal", "off", "--access-log", log])
        connections = 16
        per_connection = ACCESS_REQUESTS // connections
        statuses = []
        lock = threading.Lock()

        def client(c):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            got = []
            for i in range(per_connection):
                body = json.dumps({"c": c, "i": i, "m": BODY_MARKER}).encode()
                conn.request("POST", f"/in?token=q-{TOKEN}&c={c}", body=body,
                             headers={"Authorization": f"Bearer {TOKEN}",
                                      "X-Secret-Header": BODY_MARKER})
                reply = conn.getresponse()
                reply.read()
                got.append(reply.status)
            conn.close()
            with lock:
                statuses.extend(got)

        try:
            host.wait_listening(1)
            threads = [threading.Thread(target=client, args=(c,)) for c in range(connections)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(request(port, "POST", "/in", b"{}",
                                     {"Authorization": "Bearer wrong"})[0], 401)
        finally:
            code = host.stop()
        self.assertEqual(code, 0, host.output())
        sent = connections * per_connection
        self.assertEqual(statuses, [200] * sent)
        with open(log, encoding="utf-8") as f:
            lines = f.read().splitlines()
        self.assertEqual(len(lines), sent + 1)
        keys = {"time", "node", "client", "method", "path", "port", "status", "body_bytes",
                "duration_s", "delivery_id", "refusal"}
        for line in lines:
            self.assertNotIn(BODY_MARKER, line)
            self.assertNotIn(TOKEN, line)
            record = json.loads(line)
            self.assertEqual(set(record), keys, line)
        records = [json.loads(line) for line in lines]
        accepted = [r for r in records if r["status"] == 200]
        self.assertEqual(len(accepted), sent)
        for r in accepted:
            self.assertEqual((r["node"], r["method"], r["path"], r["port"], r["refusal"],
                              r["delivery_id"]), ("hook", "POST", "/in", port, None, None))
            self.assertTrue(r["client"].startswith("127.0.0.1:"), r)
            self.assertGreater(r["body_bytes"], len(BODY_MARKER))
            self.assertGreaterEqual(r["duration_s"], 0)
            self.assertRegex(r["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        refused = [r for r in records if r["status"] == 401]
        self.assertEqual([(r["node"], r["refusal"]) for r in refused], [("hook", "signature")])

    def test_a_log_nobody_drains_drops_and_counts(self):
        """The log is a FIFO opened by a reader that never reads: once the
        pipe and the host's buffer are full, lines are dropped and counted,
        and every request is still answered."""
        port, admin = free_port(), free_port()
        fifo = os.path.join(self.dir, "access.fifo")
        os.mkfifo(fifo)
        stuck_reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        wf = self.workflow([webhook("hook", port, "/in"),
                            sink("keep", os.path.join(self.dir, "runs.jsonl"))],
                           [edge("hook", "keep")])
        host = Host([wf, "--journal", "off", "--access-log", fifo,
                     "--access-log-buffer", "64", "--admin", f"127.0.0.1:{admin}"])
        sent = 3000
        try:
            host.wait_listening(1)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            for i in range(sent):
                conn.request("POST", "/in", body=b'{"pad":"%s","i":%d}' % (b"x" * 200, i))
                reply = conn.getresponse()
                reply.read()
                self.assertEqual(reply.status, 200)
            conn.close()
            # Now read the log: what was buffered arrives, the rest was dropped.
            drained = Drain(stuck_reader)
            drained.start()
            drained.wait_quiet()
            _, _, text = scrape(admin)
            promtool_check(self, text)
            m = parse_exposition(text)
            dropped = value(m, "nb_access_log_dropped_total")
            self.assertGreater(dropped, 0)
            self.assertEqual(value(m, "nb_access_log_lines_total"), drained.lines)
            self.assertEqual(drained.lines + dropped, sent)
        finally:
            code = host.stop()
            os.close(stuck_reader)
        self.assertEqual(code, 0, host.output())


def main():
    global NB_HOST, ACCESS_REQUESTS
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--nb-host", required=True)
    parser.add_argument("--access-requests", type=int, default=ACCESS_REQUESTS)
    args, rest = parser.parse_known_args()
    NB_HOST = args.nb_host
    ACCESS_REQUESTS = args.access_requests
    unittest.main(argv=[sys.argv[0]] + rest)


if __name__ == "__main__":
    main()
