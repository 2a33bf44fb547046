#!/usr/bin/env python3
"""Crash harness for nb-host's journal: a 200 is a promise that survives kill -9.

Each iteration starts nb-host (webhook /in -> basic.file_append) with its journal
in a temp folder, POSTs unique ids from 64 keep-alive connections, kills it with
SIGKILL at a random moment while the load runs, restarts it on the same journal
and sink without load, lets it drain, stops it with SIGTERM and checks the sink:
  - every id answered 200 is in the sink (no loss),
  - every id in the sink was sent (no invention),
  - the extra copies of ids run twice are at most the events the restart said it
    replayed ("journal: replaying N accepted events from PATH").

  durability.py --nb-host BIN --sync full|normal [--iterations N] [--seed S]
  durability.py --nb-host BIN --expect-loss    memory only: succeeds only if the
                                               checks catch a lost 200

Plugins are found through NB_PLUGIN_PATH, as nb-host finds them.
"""
import argparse
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import Failure, Process, few, free_port, sink_ids  # noqa: E402

CONNECTIONS = 64
KILL_AFTER_S = (0.2, 1.5)   # the SIGKILL's moment after the load starts
QUIET_S = 0.5               # the sink has drained once it stays this long unchanged
DRAIN_LIMIT_S = 30          # ...within this
START_LIMIT_S = 30          # sanitizer builds start slowly
EXIT_LIMIT_S = 30
REPLAYING = re.compile(r"journal: replaying (\d+) accepted events from ")


class Host(Process):
    """One nb-host process; its stdout and stderr lines are collected by threads
    so that it never blocks on a full pipe."""

    def __init__(self, args):
        self.listening = threading.Event()
        super().__init__(args)

    def on_line(self, line):
        if line.startswith("listening:"):
            self.listening.set()

    def wait_listening(self):
        if not self.listening.wait(START_LIMIT_S):
            self.proc.kill()
            self.finish()
            raise Failure(f"nb-host did not listen within {START_LIMIT_S} s:\n" + self.output())

    def finish(self):
        """Waits for the exit and the last output; returns the exit code."""
        try:
            code = self.proc.wait(EXIT_LIMIT_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            code = None
        for t in self.readers:
            t.join()
        return code

    def output(self):
        return "\n".join(self.lines)


class Load:
    """CONNECTIONS threads POSTing unique ids until the host goes away."""

    def __init__(self, port, prefix):
        self.port = port
        self.prefix = prefix
        self.lock = threading.Lock()
        self.next = 0
        self.sent = set()
        self.ok = set()
        self.in_flight = 0
        self.threads = [threading.Thread(target=self._client, daemon=True)
                        for _ in range(CONNECTIONS)]

    def start(self):
        for t in self.threads:
            t.start()

    def join(self):
        for t in self.threads:
            t.join()

    def _new_id(self):
        with self.lock:
            self.next += 1
            rid = f"{self.prefix}-{self.next:06d}"
            self.sent.add(rid)
            self.in_flight += 1
            return rid

    def _client(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            while True:
                rid = self._new_id()
                try:
                    conn.request("POST", "/in", body=json.dumps({"id": rid}),
                                 headers={"Content-Type": "application/json"})
                    reply = conn.getresponse()
                    reply.read()
                finally:
                    with self.lock:
                        self.in_flight -= 1
                if reply.status == 200:
                    with self.lock:
                        self.ok.add(rid)
        except (OSError, http.client.HTTPException):
            return  # the host was killed: this connection is done
        finally:
            conn.close()


def wait_until_quiet(path):
    """Until the sink's size stays the same for QUIET_S (at most DRAIN_LIMIT_S)."""
    deadline = time.monotonic() + DRAIN_LIMIT_S
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        size = os.path.getsize(path) if os.path.exists(path) else 0
        if size != last:
            last, since = size, time.monotonic()
        elif time.monotonic() - since >= QUIET_S:
            return
        time.sleep(0.05)
    raise Failure(f"the sink still grew after {DRAIN_LIMIT_S} s")


def iteration(args, n, rng, journal_args):
    with tempfile.TemporaryDirectory(prefix="nb-durability-") as folder:
        port = free_port()
        sink = os.path.join(folder, "sink.txt")
        workflow = os.path.join(folder, "wf.json")
        with open(workflow, "w") as f:
            json.dump({"name": "durability", "nodes": [
                {"id": "hook", "type": "events.webhook", "widgets": {"port": port, "path": "/in"}},
                {"id": "sink", "type": "basic.file_append",
                 "widgets": {"file": sink, "format": "json"}}],
                "edges": [{"from": "hook.received_data", "to": "sink.text"}]}, f)
        command = [args.nb_host, "run", workflow] + journal_args(folder)

        first = Host(command)
        first.wait_listening()
        load = Load(port, f"r{n}")
        load.start()
        time.sleep(rng.uniform(*KILL_AFTER_S))
        with load.lock:
            in_flight_at_kill, answered_at_kill = load.in_flight, len(load.ok)
        first.proc.send_signal(signal.SIGKILL)
        first.finish()
        load.join()

        second = Host(command)
        second.wait_listening()
        wait_until_quiet(sink)
        second.proc.send_signal(signal.SIGTERM)
        code = second.finish()
        if code != 0:
            raise Failure(f"iteration {n}: the restarted nb-host exited {code} on SIGTERM, not 0:\n"
                          + second.output())
        replayed = sum(int(m.group(1)) for m in map(REPLAYING.search, second.lines) if m)

        ids = sink_ids(sink)
        counts = {}
        for rid in ids:
            counts[rid] = counts.get(rid, 0) + 1
        lost = load.ok - counts.keys()
        invented = counts.keys() - load.sent
        repeated = {rid: c for rid, c in counts.items() if c > 1}
        repeats = sum(c - 1 for c in repeated.values())
        print(f"iteration {n}: sent {len(load.sent)}, 200s {len(load.ok)}, in flight at the kill "
              f"{in_flight_at_kill} (after {answered_at_kill} 200s), replayed {replayed}, "
              f"in sink {len(counts)}, repeats {repeats}"
              + (f" ({few(repeated)})" if repeated else ""), flush=True)
        problems = []
        if lost:
            problems.append(f"{len(lost)} ids answered 200 are not in the sink: {few(lost)}")
        if invented:
            problems.append(f"ids in the sink that were never sent: {few(invented)}")
        if repeats > replayed:
            problems.append(f"{repeats} repeated runs but the restart replayed only {replayed}: "
                            f"{few(repeated)}")
        if not load.ok:
            problems.append("no request was answered 200 before the kill: nothing was tested")
        return problems, in_flight_at_kill


def supports_journal(nb_host):
    """Whether this nb-host has --journal (its usage lists it); a build from
    before the journal has none and is memory-only already."""
    usage = subprocess.run([nb_host], capture_output=True, text=True, timeout=30)
    return "--journal" in usage.stdout + usage.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nb-host", required=True)
    parser.add_argument("--sync", choices=["full", "normal"], default="full")
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--expect-loss", action="store_true",
                        help="memory only (--journal off): pass only if a lost 200 is caught")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 32)
    print(f"seed {seed} (--seed {seed} repeats these kill moments)", flush=True)
    rng = random.Random(seed)

    if args.expect_loss:
        off = ["--journal", "off"] if supports_journal(args.nb_host) else []
        journal_args = lambda folder: off
    else:
        journal_args = lambda folder: ["--journal", os.path.join(folder, "events.journal"),
                                       "--journal-sync", args.sync]

    failed = []
    killed_in_flight = 0
    for n in range(1, args.iterations + 1):
        try:
            problems, in_flight = iteration(args, n, rng, journal_args)
        except Failure as e:
            problems, in_flight = [str(e)], 0
        killed_in_flight += in_flight > 0
        for p in problems:
            print(f"FAIL iteration {n}: {p}", flush=True)
        if problems:
            failed.append(n)
    # Every kill is meant to land during commits; if none did, nothing was tested.
    if killed_in_flight == 0:
        print("FAIL: no iteration killed nb-host with requests in flight")
        return 1
    print(f"{args.iterations - len(failed)} of {args.iterations} iterations kept every 200; "
          f"{killed_in_flight} killed with requests in flight")
    if args.expect_loss:
        if failed:
            print(f"loss caught, as expected without a journal (iterations {failed})")
            return 0
        print("FAIL: --expect-loss but no iteration lost a 200: the harness did not catch loss")
        return 1
    if failed:
        print(f"FAIL: iterations {failed} (seed {seed})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
