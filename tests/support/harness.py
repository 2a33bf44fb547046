"""What the Python harnesses (tests/durability, tests/broker) share: a
failure to report, free ports, short id lists and reading the sinks their
workflows append each posted body to."""
import json
import os
import socket
import subprocess
import threading


class Failure(Exception):
    pass


_given_ports = set()


def free_port():
    """A loopback port free now, never one this process was given before
    (the kernel may hand out a closed one again)."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _given_ports:
            _given_ports.add(port)
            return port


def few(items, n=20):
    items = sorted(items)
    more = f" ... ({len(items)} in all)" if len(items) > n else ""
    return ", ".join(map(str, items[:n])) + more


def sink_ids(path):
    """The id of each line of a basic.file_append sink (format json, bodies
    {"id": ...}), in order; a line that is not one of our bodies fails (a
    torn or invented write)."""
    ids = []
    if not path or not os.path.exists(path):
        return ids
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            try:
                ids.append(json.loads(json.loads(line))["id"])
            except (ValueError, TypeError, KeyError) as e:
                raise Failure(f"{path} line {n} is not a posted body ({e}): {line!r}")
    return ids


class Process:
    """A child process whose stdout and stderr lines are collected by threads,
    so that it never blocks on a full pipe: `lines` under `cond`, which is
    notified at each line and when each stream closes (`closed` counts them)."""

    def __init__(self, args, env=None):
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     stdin=subprocess.DEVNULL, text=True, errors="replace",
                                     env=env)
        self.lines = []
        self.cond = threading.Condition()
        self.closed = 0
        self.readers = [threading.Thread(target=self._read, args=(s,), daemon=True)
                        for s in (self.proc.stdout, self.proc.stderr)]
        for t in self.readers:
            t.start()

    def on_line(self, line):
        """Called for each line, on a reader thread, under `cond`."""

    def _read(self, stream):
        for line in stream:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.on_line(self.lines[-1])
                self.cond.notify_all()
        with self.cond:
            self.closed += 1
            self.cond.notify_all()
