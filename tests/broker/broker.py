#!/usr/bin/env python3
"""End-to-end scenarios for nb-host's queue mode (--broker) against a real redis-server.

Each scenario starts its own redis-server (AOF on, fsync always) on a free port in a
temp folder, drives real nb-host processes (webhook /in -> basic.file_append) and
stops everything it started by pid, also when it fails. No mocks: Redis is spoken
to through a tiny RESP client on a raw socket.

Every nb-host gets its own workflow file with the same "name" and node ids (so they
share the stream nb:broker:hook and the group nb-workers) and its own sink, so no two
processes write one file. What ran is the union of the sinks.

Scenarios (--scenario NAME, or all):
  fleet          2 ingest + 3 workers, N POSTs from 32 connections over both ingest
                 ports: every 200 ran, nothing ran that was not sent; SIGTERM -> 0, XLEN 0
  kill_worker    the same fleet, kill -9 of one worker under load: its entries are
                 claimed by another after --claim-after; no loss, no invention
  redis_restart  one --role all host under load; Redis SHUTDOWN and restarted, then
                 kill -9 and restarted: no 200 lost, 503s while down, "lost Redis" and
                 "is back" logged once per outage
  cross_dedupe   2 ingest + 1 worker, dedupe_window_s 60: one delivery id to both
                 ingest hosts runs once, the others answer "duplicate":true
  backlog        one ingest host, --max-backlog 20: 20 200s then 503 + Retry-After;
                 a worker drains it; 200s again, and the refused delivery ids run
                 when retried (a 503 is not remembered by the dedupe)
  stop_worker    SIGTERM to a worker under load: exit 0, its consumer holds nothing
                 after (it finished what it fetched), no loss
  wrong_password Redis with a password: a wrong one / none -> exit 1 with the reason;
                 the right one through env:NAME works and is not in the argv
  unreachable    nobody on the port -> exit 1 within 10 s naming 127.0.0.1:PORT
  dead_letter    a run failing every time ends in nb:broker:hook:dead with an error
  when_finished  a webhook with respond=when_finished is refused with --broker

  broker.py --nb-host BIN [--scenario NAME|all] [--posts N] [--small] [--redis-server BIN]

Plugins are found through NB_PLUGIN_PATH, as nb-host finds them. Exit code 0 when every
scenario passed, else 1.
"""
import argparse
import contextlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import Failure, Process, few, free_port, sink_ids  # noqa: E402

CONNECTIONS = 32
START_LIMIT_S = 30       # nb-host or redis-server ready (sanitizer builds start slowly)
DRAIN_LIMIT_S = 60       # XLEN of the stream back to 0
EXIT_LIMIT_S = 30        # a process gone after SIGTERM / SHUTDOWN
UNREACHABLE_LIMIT_S = 10  # nb-host gives up on an unreachable Redis within this
REQUEST_TIMEOUT_S = 10
POSTS = 10_000
SMALL_POSTS = 2_000

WORKFLOW = "broker"
NODE = "hook"
STREAM = f"nb:{WORKFLOW}:{NODE}"
DEAD = STREAM + ":dead"
GROUP = "nb-workers"


# --- Redis ------------------------------------------------------------------------------


class RedisError(Exception):
    """An error reply (-ERR ..., -NOAUTH ..., -WRONGPASS ...)."""


class Resp:
    """One RESP2 connection: command(*args) sends an array of bulk strings and returns
    the reply: str (simple string), int, bytes or None (bulk), list (array); an error
    reply raises RedisError (inside an array it is returned as a RedisError)."""

    def __init__(self, port, timeout=5.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.file = self.sock.makefile("rb")

    def close(self):
        self.file.close()
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, *args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        self.sock.sendall(b"".join(out))

    def command(self, *args):
        self.send(*args)
        reply = self.read()
        if isinstance(reply, RedisError):
            raise reply
        return reply

    def read(self):
        line = self.file.readline()
        if not line.endswith(b"\r\n"):
            raise ConnectionError("Redis closed the connection")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return RedisError(rest.decode(errors="replace"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.file.read(n + 2)
            if len(data) != n + 2:
                raise ConnectionError("Redis closed the connection in a bulk reply")
            return data[:-2]
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise ConnectionError(f"not a RESP2 reply: {line!r}")


def text(value):
    """A reply with its bulk strings decoded, for messages and comparisons."""
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    if isinstance(value, list):
        return [text(v) for v in value]
    return value


class Redis:
    """One redis-server on a fixed port and folder; restart() keeps both, so the AOF
    (appendfsync always) is replayed."""

    def __init__(self, folder, binary="redis-server", password=None):
        self.binary = binary
        self.password = password
        self.port = free_port()
        self.dir = os.path.join(folder, f"redis-{self.port}")
        os.makedirs(self.dir, exist_ok=True)
        self.log_path = os.path.join(self.dir, "redis.log")
        self.proc = None

    def url(self, password=None):
        password = self.password if password is None else password
        auth = f":{password}@" if password else ""
        return f"redis://{auth}127.0.0.1:{self.port}"

    def start(self):
        if self.proc is not None and self.proc.poll() is None:
            raise Failure(f"redis-server on port {self.port} is running already")
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                "--dir", self.dir, "--appendonly", "yes", "--appendfsync", "always",
                "--save", "", "--daemonize", "no"]
        if self.password:
            args += ["--requirepass", self.password]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + START_LIMIT_S
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Failure(f"redis-server on port {self.port} exited {self.proc.returncode} "
                              f"at start:\n{self.log_tail()}")
            try:
                if self.command("PING") == "PONG":
                    return self
            except (OSError, RedisError) as e:  # not listening yet, or -LOADING the AOF
                last = str(e)
            time.sleep(0.05)
        raise Failure(f"redis-server on port {self.port} did not answer PING within "
                      f"{START_LIMIT_S} s ({last}):\n{self.log_tail()}")

    def connect(self):
        """A connection, authenticated when the server has a password."""
        conn = Resp(self.port)
        try:
            if self.password:
                conn.command("AUTH", self.password)
        except BaseException:
            conn.close()
            raise
        return conn

    def command(self, *args):
        with self.connect() as conn:
            return conn.command(*args)

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def shutdown(self):
        """SHUTDOWN (the AOF is flushed), then waits for the pid."""
        try:
            with self.connect() as conn:
                conn.send("SHUTDOWN")
                reply = conn.read()  # none: the server closes the connection as it goes
                raise Failure(f"redis-server on port {self.port} answered SHUTDOWN: {reply}")
        except (OSError, ConnectionError):
            pass
        try:
            self.proc.wait(EXIT_LIMIT_S)
        except subprocess.TimeoutExpired:
            raise Failure(f"redis-server on port {self.port} still runs {EXIT_LIMIT_S} s "
                          f"after SHUTDOWN:\n{self.log_tail()}")

    def restart(self):
        if self.running():
            raise Failure(f"restart: redis-server on port {self.port} is still running")
        return self.start()

    def stop(self):
        """By pid, whatever state it is in: SIGTERM, then SIGKILL after 5 s."""
        if not self.running():
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def log_tail(self, n=30):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError as e:
            return f"(no log: {e})"

    # The few reads the scenarios make.
    def xlen(self, key=STREAM):
        return self.command("XLEN", key)

    def xrange(self, key):
        """[(id, {field: value})] as text."""
        entries = []
        for entry_id, fields in text(self.command("XRANGE", key, "-", "+")):
            entries.append((entry_id, dict(zip(fields[::2], fields[1::2]))))
        return entries

    def xpending(self, key=STREAM):
        """The summary [count, first, last, [[consumer, count], ...]], or a string when
        the stream or group does not exist."""
        try:
            return text(self.command("XPENDING", key, GROUP))
        except RedisError as e:
            return str(e)

    def describe(self):
        """XLEN, XPENDING, the first entries and the keys, for failure messages (an
        entry left in the stream but pending for nobody was acknowledged, not deleted)."""
        try:
            keys = sorted(text(self.command("KEYS", f"nb:{WORKFLOW}:*")))
            keys = [k for k in keys if ":seen:" not in k]
            first = text(self.command("XRANGE", STREAM, "-", "+", "COUNT", "3"))
            return (f"XLEN {STREAM} = {self.xlen()}, XLEN {DEAD} = {self.xlen(DEAD)}, "
                    f"XPENDING = {self.xpending()}, first entries = {first}, "
                    f"keys (no :seen:) = {keys}")
        except (OSError, RedisError) as e:
            return f"(Redis not readable: {e})"


# --- nb-host ----------------------------------------------------------------------------


class Host(Process):
    """One nb-host process, its output lines collected (harness.Process)."""

    def __init__(self, name, args, env=None, sink=None, port=None):
        self.name = name
        self.args = args
        self.sink = sink
        self.port = port
        super().__init__(args, env)

    def count(self, needle):
        """How many lines contain needle."""
        with self.cond:
            return sum(needle in line for line in self.lines)

    def wait_for(self, predicate, limit, what):
        """Until predicate() holds (checked under the lines' lock) or the host exits."""
        deadline = time.monotonic() + limit
        with self.cond:
            while not predicate():
                if self.closed == 2 and self.proc.poll() is not None:
                    raise Failure(f"{self.name} exited {self.proc.returncode} before {what}:\n"
                                  + self.output())
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise Failure(f"{self.name}: no {what} within {limit} s:\n" + self.output())
                self.cond.wait(min(remaining, 0.2))

    def wait_ready(self, listening=0, consuming=0):
        def ready():
            return (sum(line.startswith("listening:") for line in self.lines) >= listening and
                    sum(line.startswith("consuming:") for line in self.lines) >= consuming)
        self.wait_for(ready, START_LIMIT_S,
                      f"{listening} 'listening:' and {consuming} 'consuming:' lines")
        return self

    def wait_line(self, needle, times=1, limit=START_LIMIT_S):
        self.wait_for(lambda: sum(needle in line for line in self.lines) >= times, limit,
                      f"line containing {needle!r} (x{times})")

    def alive(self):
        return self.proc.poll() is None

    def finish(self, limit=EXIT_LIMIT_S):
        """Waits for the exit and the last output; returns the exit code (None: it had
        to be killed after limit)."""
        try:
            code = self.proc.wait(limit)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            code = None
        for t in self.readers:
            t.join(5)
        return code

    def kill9(self):
        if self.alive():
            self.proc.send_signal(signal.SIGKILL)
        return self.finish()

    def cleanup(self):
        if self.alive():
            self.proc.kill()
        self.finish(5)

    def output(self, n=80):
        with self.cond:
            lines = list(self.lines)
        head = f"  [{self.name}: {' '.join(self.args)}]\n"
        if len(lines) > n:
            head += f"  ... ({len(lines) - n} earlier lines)\n"
            lines = lines[-n:]
        return head + "\n".join("  " + line for line in lines)


def expect_exit0(hosts):
    """SIGTERM to every host at once, then each must exit 0."""
    for h in hosts:
        if h.alive():
            h.proc.send_signal(signal.SIGTERM)
    problems = []
    for h in hosts:
        code = h.finish()
        if code != 0:
            how = f"(killed after {EXIT_LIMIT_S} s)" if code is None else code
            problems.append(f"{h.name} exited {how} on SIGTERM, not 0:\n{h.output()}")
    if problems:
        raise Failure("\n".join(problems))


def expect_alive(hosts):
    for h in hosts:
        if not h.alive():
            h.finish(5)
            raise Failure(f"{h.name} exited {h.proc.returncode} unexpectedly:\n{h.output()}")


class Scenario:
    """The temp folder, the redis-servers and the nb-hosts of one scenario; leaving it
    kills whatever still runs (by pid) and removes the folder."""

    def __init__(self, args, name):
        self.args = args
        self.name = name
        self.hosts = []
        self.servers = []
        self.folder = None

    def __enter__(self):
        self.folder = tempfile.mkdtemp(prefix=f"nb-broker-{self.name}-")
        return self

    def __exit__(self, *exc):
        for h in self.hosts:
            h.cleanup()
        for r in self.servers:
            r.stop()
        if self.args.keep:
            print(f"  kept {self.folder}", flush=True)
        else:
            shutil.rmtree(self.folder, ignore_errors=True)
        return False

    def redis(self, password=None):
        r = Redis(self.folder, self.args.redis_server, password)
        self.servers.append(r)
        return r.start()

    def workflow(self, tag, sink=None, **hook_widgets):
        """Writes this host's workflow; returns (path, port, sink)."""
        port = free_port()
        sink = sink or os.path.join(self.folder, f"sink-{tag}.txt")
        widgets = {"port": port, "path": "/in", "bind": "127.0.0.1"}
        widgets.update(hook_widgets)
        path = os.path.join(self.folder, f"wf-{tag}.json")
        with open(path, "w") as f:
            json.dump({"name": WORKFLOW, "nodes": [
                {"id": NODE, "type": "events.webhook", "widgets": widgets},
                {"id": "sink", "type": "basic.file_append",
                 "widgets": {"file": sink, "format": "json"}}],
                "edges": [{"from": f"{NODE}.received_data", "to": "sink.text"}]}, f)
        return path, port, sink

    def host(self, tag, role, broker, extra=(), env=None, sink=None, **hook_widgets):
        """Starts nb-host (not waiting for readiness)."""
        path, port, sink = self.workflow(tag, sink, **hook_widgets)
        args = [self.args.nb_host, "run", path, "--broker", broker]
        if role is not None:
            args += ["--role", role]
        args += list(extra)
        # Should a broker host still open its default journal, each has its own,
        # not ~/.local/state/nb-host/broker.journal shared by the whole fleet.
        env = dict(os.environ if env is None else env,
                   XDG_STATE_HOME=os.path.join(self.folder, f"state-{tag}"))
        h = Host(tag, args, env=env, sink=sink, port=port)
        self.hosts.append(h)
        return h

    def ingest(self, tag, broker, extra=(), **hook_widgets):
        return self.host(tag, "ingest", broker, extra, **hook_widgets).wait_ready(listening=1)

    def worker(self, tag, broker, extra=(), **hook_widgets):
        return self.host(tag, "worker", broker, extra, **hook_widgets).wait_ready(consuming=1)

    def all(self, tag, broker, extra=(), **hook_widgets):
        return self.host(tag, "all", broker, extra, **hook_widgets).wait_ready(1, 1)


# --- load and sinks ---------------------------------------------------------------------


def connection(port):
    """A keep-alive connection for a with statement."""
    return contextlib.closing(http.client.HTTPConnection("127.0.0.1", port,
                                                         timeout=REQUEST_TIMEOUT_S))


def post(conn, rid, delivery=None):
    """One POST of {"id": rid}; returns (status, headers dict lower-cased, body text)."""
    headers = {"Content-Type": "application/json"}
    if delivery is not None:
        headers["Idempotency-Key"] = delivery
    conn.request("POST", "/in", body=json.dumps({"id": rid}), headers=headers)
    reply = conn.getresponse()
    body = reply.read().decode(errors="replace")
    return reply.status, {k.lower(): v for k, v in reply.getheaders()}, body


class Load:
    """CONNECTIONS keep-alive clients spread over the ports POSTing unique ids, until
    `total` ids were sent or stop(). A connection the host drops is reopened."""

    def __init__(self, ports, prefix, total=None, pause_after_503=0.0):
        self.ports = ports
        self.prefix = prefix
        self.total = total
        self.pause_after_503 = pause_after_503
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.next = 0
        self.sent = set()
        self.ok = set()
        self.refused = set()        # answered 503
        self.statuses = {}          # status (or "error") -> count
        self.no_retry_after = 0     # 503s without a Retry-After header
        self.errors = []            # a few transport errors, for messages
        self.started = None
        self.elapsed = None
        self.threads = [threading.Thread(target=self._client, args=(ports[i % len(ports)],),
                                         daemon=True) for i in range(CONNECTIONS)]

    def start(self):
        self.started = time.monotonic()
        for t in self.threads:
            t.start()
        return self

    def stop(self):
        self.stopping.set()

    def join(self):
        for t in self.threads:
            t.join()
        self.elapsed = time.monotonic() - self.started

    def count_ok(self):
        with self.lock:
            return len(self.ok)

    def wait_ok(self, n, limit=START_LIMIT_S):
        """Until n ids were answered 200 in all (at most limit seconds)."""
        deadline = time.monotonic() + limit
        while self.count_ok() < n:
            if time.monotonic() > deadline:
                raise Failure(f"only {self.count_ok()} of {n} 200s within {limit} s "
                              f"(statuses {self.statuses}, errors {self.errors[:3]})")
            time.sleep(0.02)

    def _new_id(self):
        with self.lock:
            if self.stopping.is_set() or (self.total is not None and self.next >= self.total):
                return None
            self.next += 1
            rid = f"{self.prefix}-{self.next:06d}"
            self.sent.add(rid)
            return rid

    def _client(self, port):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
        try:
            while (rid := self._new_id()) is not None:
                try:
                    status, headers, _ = post(conn, rid)
                except (OSError, http.client.HTTPException) as e:
                    conn.close()  # reopened by the next request
                    with self.lock:
                        self.statuses["error"] = self.statuses.get("error", 0) + 1
                        if len(self.errors) < 10:
                            self.errors.append(f"{rid} on port {port}: {e!r}")
                    time.sleep(0.05)
                    continue
                with self.lock:
                    self.statuses[status] = self.statuses.get(status, 0) + 1
                    if status == 200:
                        self.ok.add(rid)
                    elif status == 503:
                        self.refused.add(rid)
                        if "retry-after" not in headers:
                            self.no_retry_after += 1
                if status != 200 and self.pause_after_503:
                    time.sleep(self.pause_after_503)
        finally:
            conn.close()

    def summary(self):
        rate = f", {len(self.sent) / self.elapsed:.0f}/s" if self.elapsed else ""
        return (f"sent {len(self.sent)} in {self.elapsed or 0:.1f} s{rate}, 200s {len(self.ok)}, "
                f"statuses {dict(sorted(self.statuses.items(), key=str))}")


def ran(hosts):
    """id -> how many runs, over the sinks of these hosts."""
    counts = {}
    for h in hosts:
        for rid in sink_ids(h.sink):
            counts[rid] = counts.get(rid, 0) + 1
    return counts


def check_runs(load, counts, label):
    """Loss and invention are failures; repeats are printed. Returns the repeats."""
    lost = load.ok - counts.keys()
    invented = counts.keys() - load.sent
    repeated = {rid: c for rid, c in counts.items() if c > 1}
    repeats = sum(c - 1 for c in repeated.values())
    refused_ran = load.refused & counts.keys()  # the 503 of an XADD whose reply was lost
    print(f"  {label}: {load.summary()}; ran {len(counts)} ids, repeats {repeats}"
          + (f" ({few(repeated)})" if repeated else "")
          + (f"; answered 503 but ran: {len(refused_ran)} ({few(refused_ran, 5)})"
             if refused_ran else ""), flush=True)
    problems = []
    if lost:
        problems.append(f"{len(lost)} ids answered 200 never ran: {few(lost)}")
    if invented:
        problems.append(f"ids ran that were never sent: {few(invented)}")
    if not load.ok:
        problems.append("no POST was answered 200: nothing was tested")
    if problems:
        raise Failure("; ".join(problems))
    return repeats


def wait_drained(redis, hosts, limit=DRAIN_LIMIT_S, key=STREAM):
    """Until XLEN of the stream is 0 (every entry acknowledged and deleted), while the
    hosts keep running."""
    deadline = time.monotonic() + limit
    started = time.monotonic()
    n = None
    while time.monotonic() < deadline:
        expect_alive(hosts)
        try:
            n = redis.xlen(key)
        except (OSError, RedisError) as e:
            n = f"unreadable ({e})"
        if n == 0:
            return time.monotonic() - started
        time.sleep(0.1)
    raise Failure(f"XLEN {key} is still {n} after {limit} s: not drained; {redis.describe()}\n"
                  + "\n".join(h.output(30) for h in hosts))


# --- scenarios --------------------------------------------------------------------------


def fleet_posts(args):
    if args.posts:
        return args.posts
    return SMALL_POSTS if args.small else POSTS


def start_fleet(s, redis, workers=3):
    url = redis.url()
    ingests = [s.ingest(f"ingest{i}", url) for i in (1, 2)]
    fleet = [s.worker(f"worker{i}", url, ["--claim-after", "1s"]) for i in range(1, workers + 1)]
    return ingests, fleet


def scenario_fleet(args, s):
    redis = s.redis()
    ingests, workers = start_fleet(s, redis)
    load = Load([h.port for h in ingests], "fleet", total=fleet_posts(args)).start()
    load.join()
    expect_alive(ingests + workers)
    drained = wait_drained(redis, ingests + workers)
    print(f"  drained {drained:.1f} s after the last answer", flush=True)
    expect_exit0(ingests + workers)
    counts = ran(workers)
    check_runs(load, counts, "fleet")
    problems = []
    if len(load.ok) != len(load.sent):
        problems.append(f"{len(load.sent) - len(load.ok)} of {len(load.sent)} POSTs were not "
                        f"answered 200 with max-backlog at its default: {load.statuses}, "
                        f"errors {load.errors[:3]}")
    if any(sink_ids(h.sink) for h in ingests):
        problems.append("an ingest-only host ran the workflow (its sink was written)")
    left, dead = redis.xlen(), redis.xlen(DEAD)
    if left:
        problems.append(f"XLEN {STREAM} is {left} after every host exited, not 0")
    if dead:
        problems.append(f"{dead} entries in {DEAD}, though no run fails")
    if problems:
        raise Failure("; ".join(problems))


def pending_of(redis, worker):
    """How many entries the worker's consumer holds, if its name is known: nb-host names
    its consumer HOSTNAME:PID (not part of the contract, so None when no name fits)."""
    summary = redis.xpending()
    if not isinstance(summary, list) or not summary[3]:
        return None if not isinstance(summary, list) else 0
    for name, count in summary[3]:
        if name.endswith(f":{worker.proc.pid}"):
            return int(count)
    return 0 if any(":" in name for name, _ in summary[3]) else None


def pick_victim(redis, workers, limit=3.0):
    """The first worker seen holding entries (polled for up to limit seconds), so that
    the kill leaves work behind; the first worker when none is seen."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        for w in workers:
            if pending_of(redis, w):
                return w
        time.sleep(0.005)
    return workers[0]


def scenario_kill_worker(args, s):
    redis = s.redis()
    ingests, workers = start_fleet(s, redis)
    total = fleet_posts(args)
    load = Load([h.port for h in ingests], "kill", total=total).start()
    load.wait_ok(total // 3, limit=DRAIN_LIMIT_S)
    victim = pick_victim(redis, workers)
    victim.kill9()
    # Nobody claims the dead consumer's entries before --claim-after: what it holds now
    # is what it held when it died.
    held = pending_of(redis, victim)
    print(f"  killed {victim.name} after {load.count_ok()} 200s, holding "
          f"{'an unknown number of' if held is None else held} entries; "
          f"XPENDING {redis.xpending()}", flush=True)
    load.join()
    survivors = [w for w in workers if w is not victim]
    expect_alive(ingests + survivors)
    drained = wait_drained(redis, ingests + survivors)
    print(f"  drained {drained:.1f} s after the last answer", flush=True)
    expect_exit0(ingests + survivors)
    check_runs(load, ran(workers), "kill_worker")
    left = redis.xlen()
    if left:
        raise Failure(f"XLEN {STREAM} is {left} after every host exited, not 0")


def scenario_redis_restart(args, s):
    redis = s.redis()
    host = s.all("all", redis.url(), ["--reconnect-max", "200ms"])
    load = Load([host.port], "restart", pause_after_503=0.02).start()
    outages = [("SHUTDOWN", redis.shutdown), ("kill -9", redis.kill9)]
    notes = []
    try:
        for n, (how, stop) in enumerate(outages, 1):
            load.wait_ok(load.count_ok() + 300)
            with load.lock:
                refused_before = len(load.refused)
            stop()
            host.wait_line("lost Redis", n, limit=10)
            time.sleep(1.0)  # the load meets the outage
            with load.lock:
                refused_down = len(load.refused) - refused_before
            redis.restart()
            host.wait_line("is back", n, limit=START_LIMIT_S)
            ok_back = load.count_ok()
            load.wait_ok(ok_back + 300)
            notes.append(f"{how}: {refused_down} 503s while down")
            if refused_down == 0:
                raise Failure(f"no 503 while Redis was down ({how}): {load.summary()}")
    finally:
        load.stop()
        load.join()
    print(f"  {'; '.join(notes)}", flush=True)
    drained = wait_drained(redis, [host])
    print(f"  drained {drained:.1f} s after the last answer", flush=True)
    expect_exit0([host])
    check_runs(load, ran([host]), "redis_restart")
    problems = []
    lost, back = host.count("lost Redis"), host.count("is back")
    if lost != len(outages) or back != len(outages):
        problems.append(f"{len(outages)} outages but {lost} 'lost Redis' and {back} 'is back' "
                        f"lines:\n" + host.output(40))
    if load.no_retry_after:
        problems.append(f"{load.no_retry_after} 503s without a Retry-After header")
    other = {k: v for k, v in load.statuses.items() if k not in (200, 503)}
    if other:
        problems.append(f"answers other than 200 and 503: {other}, e.g. {load.errors[:3]}")
    if problems:
        raise Failure("; ".join(problems))


def scenario_cross_dedupe(args, s):
    redis = s.redis()
    url = redis.url()
    a, b = (s.ingest(f"ingest{i}", url, dedupe_window_s=60) for i in (1, 2))
    worker = s.worker("worker", url, dedupe_window_s=60)
    problems = []
    sent = []

    def answer(status, body):
        try:
            duplicate = json.loads(body).get("duplicate") is True
        except (ValueError, AttributeError):
            duplicate = None
        return status, duplicate

    # In turn: A, then B, then A again.
    conns = {h.name: http.client.HTTPConnection("127.0.0.1", h.port, timeout=REQUEST_TIMEOUT_S)
             for h in (a, b)}
    try:
        for i in range(50):
            rid = f"dedupe-{i:03d}"
            sent.append(rid)
            answers = []
            for h in (a, b, a):
                status, _, body = post(conns[h.name], rid, delivery=f"delivery-{rid}")
                answers.append((h.name, *answer(status, body), body))
            if [(st, dup) for _, st, dup, _ in answers] != [(200, False), (200, True), (200, True)]:
                problems.append(f"{rid} (ingest1, ingest2, ingest1): {answers}")
    finally:
        for c in conns.values():
            c.close()

    # At the same moment on both hosts: one runs; the other is a duplicate, or 503 (the
    # first still with the host) and then, retried, a duplicate.
    raced = {"both 200": 0, "one 503": 0}
    for i in range(25):
        rid = f"race-{i:03d}"
        sent.append(rid)
        barrier = threading.Barrier(2)
        results = {}

        def send(h):
            with connection(h.port) as c:
                c.connect()
                barrier.wait()
                results[h.name] = [answer(*post(c, rid, delivery=f"delivery-{rid}")[::2])]
                for _ in range(5):
                    if results[h.name][-1][0] != 503:
                        break
                    time.sleep(1.0)
                    results[h.name].append(answer(*post(c, rid, delivery=f"delivery-{rid}")[::2]))

        threads = [threading.Thread(target=send, args=(h,)) for h in (a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        finals = [r[-1] for r in results.values()]
        raced["one 503" if any(len(r) > 1 for r in results.values()) else "both 200"] += 1
        if sorted(finals, key=str) != sorted([(200, False), (200, True)], key=str):
            problems.append(f"{rid} raced on both hosts: {results}")

    drained = wait_drained(redis, [a, b, worker])
    expect_exit0([a, b, worker])
    counts = ran([worker])
    runs_wrong = {rid: counts.get(rid, 0) for rid in sent if counts.get(rid, 0) != 1}
    invented = counts.keys() - set(sent)
    print(f"  cross_dedupe: {len(sent)} delivery ids (50 in turn, 25 raced: {raced}), "
          f"ran {len(counts)}, drained in {drained:.1f} s", flush=True)
    if runs_wrong:
        problems.append(f"ids not run exactly once: {runs_wrong}")
    if invented:
        problems.append(f"ids ran that were never sent: {few(invented)}")
    if problems:
        raise Failure("\n  ".join(problems[:20]))


def scenario_backlog(args, s):
    """Every POST carries a delivery id (dedupe_window_s 60): a delivery refused for the
    backlog is not remembered, so its retry after the drain runs (docs/verified-senders.md,
    "Duplicate deliveries")."""
    redis = s.redis()
    url = redis.url()
    ingest = s.ingest("ingest", url, ["--max-backlog", "20"], dedupe_window_s=60)

    def send(c, rid):
        status, headers, body = post(c, rid, delivery=f"delivery-{rid}")
        try:
            duplicate = json.loads(body).get("duplicate") is True
        except (ValueError, AttributeError):
            duplicate = None
        return rid, status, headers.get("retry-after"), duplicate, body

    with connection(ingest.port) as c:
        answers = [send(c, f"backlog-{i:03d}") for i in range(25)]
    first, rest = answers[:20], answers[20:]
    problems = []
    if any((st, dup) != (200, False) for _, st, _, dup, _ in first):
        problems.append(f"the first 20 POSTs were not all 200 (not duplicates): "
                        f"{[a for a in first if a[1:4:2] != (200, False)]}")
    if any(st != 503 or ra is None for _, st, ra, _, _ in rest):
        problems.append(f"POSTs 21-25 with 20 entries waiting were not all 503 with "
                        f"Retry-After: {rest}")
    backlog = redis.xlen()
    if backlog != 20:
        problems.append(f"XLEN {STREAM} is {backlog} with no worker, not 20")
    if problems:
        raise Failure("; ".join(problems))
    print(f"  20 accepted, then 503 with Retry-After: {rest[0][2]!r}; XLEN {backlog}", flush=True)

    worker = s.worker("worker", url, dedupe_window_s=60)
    drained = wait_drained(redis, [ingest, worker])
    accepted = {rid for rid, *_ in first}
    refused = {rid for rid, *_ in rest}
    early = ran([worker])
    if refused & early.keys():
        problems.append(f"ids answered 503 ran all the same: {few(refused & early.keys())}")
    # Again: the refused deliveries (their retries must run), one accepted delivery (a
    # duplicate now), and new ones.
    with connection(ingest.port) as c:
        retried = [send(c, rid) for rid in sorted(refused)]
        again = send(c, "backlog-000")
        fresh = [send(c, f"after-{i:03d}") for i in range(5)]
    if any((st, dup) != (200, False) for _, st, _, dup, _ in retried):
        problems.append(f"the retries of deliveries refused 503 were not all 200 (not "
                        f"duplicates): they were remembered though refused: {retried}")
    if again[1::2] != (200, True):
        problems.append(f"an accepted delivery id again was not 200 duplicate: {again}")
    if any((st, dup) != (200, False) for _, st, _, dup, _ in fresh):
        problems.append(f"POSTs after the worker drained the backlog were not 200: {fresh}")
    wait_drained(redis, [ingest, worker])
    expect_exit0([ingest, worker])
    counts = ran([ingest, worker])
    expected = accepted | {rid for rid, st, *_ in retried + fresh if st == 200}
    wrong = {rid: counts.get(rid, 0) for rid in expected if counts.get(rid, 0) != 1}
    print(f"  a worker drained the backlog in {drained:.1f} s; the 5 refused deliveries "
          f"retried: {[st for _, st, *_ in retried]}; an accepted one again: {again[1]} "
          f"duplicate {again[3]}; 5 new: {[st for _, st, *_ in fresh]}; ran {len(counts)} ids",
          flush=True)
    if wrong:
        problems.append(f"ids not run exactly once: {wrong}")
    if counts.keys() - accepted - refused - {rid for rid, *_ in fresh}:
        problems.append(f"ids ran that were never sent: "
                        f"{few(counts.keys() - accepted - refused - {r for r, *_ in fresh})}")
    if sink_ids(ingest.sink):
        problems.append("the ingest-only host ran the workflow (its sink was written)")
    if problems:
        raise Failure("; ".join(problems))


def scenario_stop_worker(args, s):
    """SIGTERM to a worker under load: it exits 0 after finishing what it fetched, so its
    consumer holds nothing afterwards (the others claim only after 30 s, the default)."""
    redis = s.redis()
    url = redis.url()
    ingest = s.ingest("ingest", url)
    workers = [s.worker(f"worker{i}", url) for i in (1, 2)]
    total = fleet_posts(args) // 2
    load = Load([ingest.port], "stop", total=total).start()
    load.wait_ok(total // 3, limit=DRAIN_LIMIT_S)
    victim = pick_victim(redis, workers)
    before = pending_of(redis, victim)
    victim.proc.send_signal(signal.SIGTERM)
    code = victim.finish()
    after = pending_of(redis, victim)
    print(f"  SIGTERM to {victim.name} after {load.count_ok()} 200s, holding "
          f"{'?' if before is None else before} entries; exit {code}, then holding "
          f"{'? (consumer names unknown)' if after is None else after}", flush=True)
    if code != 0:
        raise Failure(f"{victim.name} exited {code} on SIGTERM under load, not 0:\n"
                      + victim.output())
    if after:
        raise Failure(f"{victim.name} exited 0 but its consumer still holds {after} entries "
                      f"(fetched, not finished): {redis.xpending()}")
    load.join()
    survivors = [w for w in workers if w is not victim]
    drained = wait_drained(redis, [ingest] + survivors)
    print(f"  drained {drained:.1f} s after the last answer", flush=True)
    expect_exit0([ingest] + survivors)
    check_runs(load, ran(workers), "stop_worker")
    if len(load.ok) != len(load.sent):
        raise Failure(f"{len(load.sent) - len(load.ok)} POSTs not answered 200: {load.statuses}")


def expect_refusal(host, needle, label, limit=START_LIMIT_S, secrets=()):
    code = host.finish(limit)
    out = host.output()
    if code != 1:
        how = f"(still running after {limit} s)" if code is None else code
        raise Failure(f"{label}: exit {how}, not 1:\n{out}")
    if needle not in out:
        raise Failure(f"{label}: exit 1 but no line containing {needle!r}:\n{out}")
    for secret in secrets:
        if secret in "\n".join(host.lines):
            raise Failure(f"{label}: nb-host printed the password {secret!r}:\n{out}")
    print(f"  {label}: exit 1, " + next(line for line in host.lines if needle in line).strip(),
          flush=True)


def scenario_wrong_password(args, s):
    password = f"pw-{random.SystemRandom().randrange(1 << 48):012x}"
    wrong = password + "-wrong"
    redis = s.redis(password=password)
    expect_refusal(s.host("wrong", None, redis.url(wrong)), "refused the password",
                   "wrong password", secrets=(password, wrong))
    expect_refusal(s.host("none", None, f"redis://127.0.0.1:{redis.port}"), "needs a password",
                   "no password", secrets=(password,))

    env = dict(os.environ, NB_TEST_BROKER_URL=redis.url())
    host = s.host("env", "all", "env:NB_TEST_BROKER_URL", env=env).wait_ready(1, 1)
    with open(f"/proc/{host.proc.pid}/cmdline", "rb") as f:
        cmdline = f.read()
    if password.encode() in cmdline:
        raise Failure(f"the password is in nb-host's argv: {cmdline!r}")
    with connection(host.port) as c:
        status, _, body = post(c, "pw-1")
    if status != 200:
        raise Failure(f"POST with the right password through env: {status} {body}\n{host.output()}")
    wait_drained(redis, [host])
    expect_exit0([host])
    if ran([host]) != {"pw-1": 1}:
        raise Failure(f"the POST through env:NAME did not run once: sink {sink_ids(host.sink)}")
    if password in "\n".join(host.lines):
        raise Failure(f"nb-host printed the password:\n{host.output()}")
    print("  right password through env:NB_TEST_BROKER_URL: listening, consuming, the POST "
          "ran; not in /proc/PID/cmdline", flush=True)


def scenario_unreachable(args, s):
    port = free_port()
    started = time.monotonic()
    host = s.host("unreachable", None, f"redis://127.0.0.1:{port}")
    expect_refusal(host, f"127.0.0.1:{port}", "nobody on the port", limit=UNREACHABLE_LIMIT_S)
    if "cannot reach Redis" not in host.output():
        raise Failure(f"exit 1 naming the address, but not 'cannot reach Redis':\n{host.output()}")
    print(f"  gave up after {time.monotonic() - started:.1f} s", flush=True)


def scenario_dead_letter(args, s):
    redis = s.redis()
    sink = os.path.join(s.folder, "no-such-folder", "sink.txt")
    host = s.all("all", redis.url(), ["--retries", "2", "--retry-delay", "50ms"], sink=sink)
    with connection(host.port) as c:
        status, _, body = post(c, "doomed-1")
    if status != 200:
        raise Failure(f"POST: {status} {body}\n{host.output()}")
    deadline = time.monotonic() + DRAIN_LIMIT_S
    while redis.xlen(DEAD) < 1:
        expect_alive([host])
        if time.monotonic() > deadline:
            raise Failure(f"nothing in {DEAD} after {DRAIN_LIMIT_S} s; {redis.describe()}\n"
                          + host.output())
        time.sleep(0.1)
    wait_drained(redis, [host])
    host.wait_line("dead letter", limit=10)
    entries = redis.xrange(DEAD)
    problems = []
    if len(entries) != 1:
        problems.append(f"{len(entries)} entries in {DEAD}, not 1: {entries}")
    fields = entries[0][1]
    if not fields.get("error"):
        problems.append(f"the dead letter has no field 'error': {entries[0]}")
    if not any("doomed-1" in v for v in fields.values()):
        problems.append(f"the dead letter does not hold the posted body: {entries[0]}")
    failed_runs = host.count("failed")
    expect_exit0([host])
    if os.path.exists(sink):
        problems.append("the sink exists: the run was meant to fail")
    if problems:
        raise Failure("; ".join(problems) + "\n" + host.output())
    print(f"  {DEAD}: {entries[0]}; {failed_runs} lines mention 'failed'; XLEN {STREAM} 0",
          flush=True)


def scenario_when_finished(args, s):
    redis = s.redis()
    host = s.host("when_finished", None, redis.url(), respond="when_finished")
    expect_refusal(host, "when_finished", "respond=when_finished")
    if "--broker" not in host.output():
        raise Failure(f"exit 1 naming when_finished, but not --broker:\n{host.output()}")


SCENARIOS = {
    "fleet": scenario_fleet,
    "kill_worker": scenario_kill_worker,
    "redis_restart": scenario_redis_restart,
    "cross_dedupe": scenario_cross_dedupe,
    "backlog": scenario_backlog,
    "stop_worker": scenario_stop_worker,
    "wrong_password": scenario_wrong_password,
    "unreachable": scenario_unreachable,
    "dead_letter": scenario_dead_letter,
    "when_finished": scenario_when_finished,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nb-host", required=True)
    parser.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    parser.add_argument("--posts", type=int, default=None,
                        help=f"POSTs of fleet and kill_worker (default {POSTS}, "
                             f"{SMALL_POSTS} with --small)")
    parser.add_argument("--small", action="store_true", help="sanitizer builds: fewer POSTs")
    parser.add_argument("--redis-server", default=shutil.which("redis-server") or "redis-server")
    parser.add_argument("--keep", action="store_true", help="keep each scenario's temp folder")
    args = parser.parse_args()
    if not shutil.which(args.redis_server):
        print(f"FAIL: no redis-server ({args.redis_server}); install the package redis-server")
        return 1

    # meson's timeout (or a CTRL-C) still runs every scenario's cleanup.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("FAIL: stopped by SIGTERM"))
    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    failed = []
    for name in names:
        print(f"{name}:", flush=True)
        started = time.monotonic()
        try:
            with Scenario(args, name) as s:
                SCENARIOS[name](args, s)
        except Failure as e:
            print(f"FAIL {name}: {e}", flush=True)
            failed.append(name)
            continue
        except Exception:
            print(f"FAIL {name}: the harness broke:\n{traceback.format_exc()}", flush=True)
            failed.append(name)
            continue
        print(f"ok {name} ({time.monotonic() - started:.1f} s)", flush=True)
    if failed:
        print(f"FAIL: {len(failed)} of {len(names)} scenarios: {', '.join(failed)}")
        return 1
    print(f"{len(names)} scenarios passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
