"""Instructions per request of nb-host with and without its observability
(issue 16: `--admin`, `--access-log`), counted by callgrind.

Wall-clock rates on this shared machine move by more than the 3% the
targets allow, so the cost is counted instead: nb-host runs the bench's
`/webhook -> sink` workflow under `valgrind --tool=callgrind
--separate-threads=no` (every thread's instructions in one total) and a
client here POSTs the bench body over a few keep-alive connections, one
request in flight on each, then (with --admin) GETs /metrics once per
SCRAPE_EVERY requests; once every run is in the sink (and every exchange in
the access log) nb-host is stopped by SIGTERM and the total read from
callgrind's file. Two runs, N1 and N2 requests: (I(N2) - I(N1)) / (N2 - N1)
is the cost of one request (and its share of a scrape), start-up and
shutdown cancelling out. Kernel time is not counted.

Imported by run-bench; traffic goes to 127.0.0.1 only, each host is
stopped by its pid.
"""
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import free_port  # noqa: E402

# Configuration -> what it adds to `nb-host run`; "off" is the bench's host.
CONFIGS = ("off", "admin", "admin+log")
TARGETS = {"admin": 1.03, "admin+log": 1.10}  # at most this many times off's cost
REQUESTS = (1000, 3000)
CONNECTIONS = 4
SCRAPE_EVERY = 1000  # requests per GET /metrics with --admin
EXIT_USAGE = 2  # nb-host's exit code for arguments it refuses
START_TIMEOUT_S = 120.0  # valgrind slows start-up about 50x
DRAIN_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 120.0


def config_args(config, admin_port, access_log):
    """The nb-host arguments of `config`."""
    args = []
    if config in ("admin", "admin+log"):
        args += ["--admin", f"127.0.0.1:{admin_port}"]
    if config == "admin+log":
        args += ["--access-log", access_log]
    return args


def refusal(nb_host, args):
    """nb-host's usage error for `run` with `args` (its first line, e.g.
    "nb-host: unknown option --admin for run"), or None when it takes them.
    Options are parsed before the workflow is read, so a missing workflow
    file tells the two apart without starting a server."""
    proc = subprocess.run([nb_host, "run", os.devnull + ".missing.json", *args],
                          capture_output=True, text=True, timeout=30)
    if proc.returncode != EXIT_USAGE:
        return None
    return (proc.stderr.splitlines() or [f"exit {EXIT_USAGE}"])[0]


def count_lines(path):
    try:
        with open(path, "rb") as f:
            return sum(1 for _ in f)
    except FileNotFoundError:
        return 0


def wait_for(what, done, proc, timeout):
    deadline = time.time() + timeout
    while not done():
        if proc.poll() is not None:
            raise RuntimeError(f"nb-host exited with {proc.returncode} waiting for {what}")
        if time.time() > deadline:
            raise RuntimeError(f"no {what} after {timeout:.0f} s")
        time.sleep(0.1)


def listening(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def printed(log, text):
    with open(log) as f:
        return text in f.read()


def read_answer(sock, buf):
    """(status, keeps the connection, body, rest of buf) of one answer on `sock`."""
    while b"\r\n\r\n" not in buf:
        data = sock.recv(65536)
        if not data:
            raise RuntimeError("connection closed before an answer")
        buf += data
    head, buf = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in
               (line.split(":", 1) for line in lines[1:] if ":" in line)}
    length = int(headers.get("content-length", "0"))
    while len(buf) < length:
        data = sock.recv(65536)
        if not data:
            raise RuntimeError("connection closed inside an answer")
        buf += data
    keep = headers.get("connection", "").lower() != "close"
    return int(lines[0].split()[1]), keep, buf[:length], buf[length:]


def post_many(port, path, body, count, errors):
    """`count` POSTs on one keep-alive connection, one at a time (a new
    connection only when the server closes one)."""
    request = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
               "Content-Type: application/json\r\nUser-Agent: GitHub-Hookshot/bench\r\n"
               f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    sock, buf = None, b""
    try:
        for _ in range(count):
            if sock is None:
                sock, buf = socket.create_connection(("127.0.0.1", port), timeout=60), b""
            sock.sendall(request)
            status, keep, _, buf = read_answer(sock, buf)
            if status != 200:
                errors.append(status)
            if not keep:
                sock.close()
                sock = None
    except (OSError, RuntimeError) as e:
        errors.append(str(e))
    finally:
        if sock:
            sock.close()


def send_requests(port, path, body, count, connections):
    """`count` POSTs over `connections` connections at once; the errors."""
    errors = []
    threads = [threading.Thread(target=post_many, args=(
        port, path, body, count // connections + (i < count % connections), errors))
        for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def scrape(port):
    """GET /metrics on a connection of its own: (status, body bytes)."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        status, _, body, _ = read_answer(sock, b"")
        return status, len(body)


def callgrind_total(path):
    """Ir over every thread: callgrind's `totals:` line (`summary:` if none)."""
    found = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"(totals|summary):\s+(\d+)", line)
            if m:
                found[m.group(1)] = int(m.group(2))
    if not found:
        raise RuntimeError(f"no totals in {path}")
    return found.get("totals", found.get("summary"))


def one_run(nb_host, folder, workflow, body, config, requests, connections, path):
    """nb-host under callgrind answering `requests` POSTs; its total."""
    os.makedirs(folder)
    port, admin_port = free_port(), free_port()
    sink, access_log = os.path.join(folder, "sink.jsonl"), os.path.join(folder, "access.log")
    wf = os.path.join(folder, "workflow.json")
    with open(wf, "w") as f:
        json.dump(workflow(port, sink), f)
    out = os.path.join(folder, "callgrind.out")
    cmd = ["valgrind", "--tool=callgrind", "--separate-threads=no", f"--callgrind-out-file={out}",
           nb_host, "run", wf, "--journal", "off",
           *config_args(config, admin_port, access_log)]
    ports = [port] + ([admin_port] if config != "off" else [])
    scrapes = requests // SCRAPE_EVERY if config != "off" else 0
    log = os.path.join(folder, "nb-host.log")
    with open(log, "w") as f:
        proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    started = time.time()
    try:
        # The port may accept before its route exists; nb-host prints its
        # `listening:` lines once every node started.
        wait_for("listening line", lambda: printed(log, f":{port}{path} ("), proc,
                 START_TIMEOUT_S)
        wait_for("admin port", lambda: all(listening(p) for p in ports), proc, START_TIMEOUT_S)
        errors = send_requests(port, path, body, requests, connections)
        if errors:
            raise RuntimeError(f"{len(errors)} requests failed, first: {errors[0]}")
        answers = [scrape(admin_port) for _ in range(scrapes)]
        if any(status != 200 for status, _ in answers):
            raise RuntimeError(f"GET /metrics answered {[s for s, _ in answers]}")
        wait_for(f"{requests} runs in the sink", lambda: count_lines(sink) >= requests, proc,
                 DRAIN_TIMEOUT_S)
        if config == "admin+log":
            wait_for(f"{requests} access log lines",
                     lambda: count_lines(access_log) >= requests, proc, DRAIN_TIMEOUT_S)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise RuntimeError(f"nb-host under callgrind still running {STOP_TIMEOUT_S:.0f} s "
                               "after SIGTERM; killed")
    if code != 0:
        raise RuntimeError(f"nb-host exited with {code}; see {folder}/nb-host.log")
    return {"requests": requests, "scrapes": scrapes, "instructions": callgrind_total(out),
            "seconds": time.time() - started,
            "metrics_bytes": answers[-1][1] if scrapes else None}


def measure(nb_host, tmp, workflow, body, path, requests=REQUESTS, repeat=1,
            connections=CONNECTIONS, configs=CONFIGS):
    """Per configuration: {"unsupported": message} when nb-host refuses its
    arguments, else the runs and "per_request" (one figure per repeat);
    and the ratios to off with the verdicts. `workflow(port, sink)` is the
    workflow to run, `body` (bytes) what each POST to `path` carries."""
    if not shutil.which("valgrind"):
        return {"missing": "valgrind is missing; run scripts/install-deps valgrind"}
    n1, n2 = requests
    results = {}
    for config in configs:
        message = refusal(nb_host, config_args(config, 1, os.path.join(tmp, "probe.log")))
        if message:
            print(f"callgrind {config}: not measured, nb-host refuses its arguments: {message}",
                  file=sys.stderr)
            results[config] = {"unsupported": message}
            continue
        runs, per_request = [], []
        for rnd in range(repeat):
            pair = [one_run(nb_host, os.path.join(tmp, f"callgrind-{config}-{n}-r{rnd + 1}"),
                            workflow, body, config, n, connections, path) for n in (n1, n2)]
            runs += pair
            per_request.append((pair[1]["instructions"] - pair[0]["instructions"]) / (n2 - n1))
            print(f"callgrind {config} round {rnd + 1}: {per_request[-1]:.0f} instructions per "
                  f"request ({pair[0]['seconds']:.0f} s + {pair[1]['seconds']:.0f} s)",
                  file=sys.stderr)
        results[config] = {"runs": runs, "per_request": per_request}
    report = {"requests": list(requests), "connections": connections,
              "scrape_every": SCRAPE_EVERY, "configs": results, "verdicts": []}
    off = results.get("off", {}).get("per_request")
    for config, target in TARGETS.items():
        got = results.get(config, {}).get("per_request")
        ratio = statistics.median(got) / statistics.median(off) if got and off else None
        results.get(config, {})["ratio_to_off"] = ratio
        report["verdicts"].append((config, target, ratio))
    return report


def spread(values):
    """(max - min) / min, as a fraction."""
    return (max(values) - min(values)) / min(values)


def markdown(report):
    if "missing" in report:
        return ["", f"Instructions per request (callgrind): not measured, {report['missing']}."]
    n1, n2 = report["requests"]
    md = ["", f"Instructions per request (callgrind, `--separate-threads=no`): `/webhook` → sink, "
          f"(I({n2}) − I({n1})) / {n2 - n1} keep-alive POSTs over {report['connections']} "
          f"connections, one in flight on each; with `--admin`, one GET /metrics per "
          f"{report['scrape_every']} requests. Kernel time not counted.", "",
          "| configuration | instructions per request | spread | ratio to off | target |",
          "|---|---:|---:|---:|---:|"]
    targets = {c: (t, r) for c, t, r in report["verdicts"]}
    for config, r in report["configs"].items():
        target, ratio = targets.get(config, (None, None))
        if "unsupported" in r:
            cells = f"not measured: `{r['unsupported']}` | - | - |"
        else:
            per = r["per_request"]
            cells = (f"{statistics.median(per):.0f} | "
                     + (f"{spread(per) * 100:.2f}% ({len(per)} runs)" if len(per) > 1 else "-")
                     + " | " + ("-" if ratio is None else f"{ratio:.3f}x") + " |")
        verdict = "-" if target is None else (
            f"≤ {target:.2f}x: " + ("not measured" if ratio is None else
                                    "met" if ratio <= target else "**NOT met**"))
        md.append(f"| {config} | {cells} {verdict} |")
    return md
