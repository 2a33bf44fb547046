"""The Python host's row of run-bench (issue 18): webhook -> asyncio handler
through python/nbhost, beside nb-host (memory mode, /webhook -> sink) and
nginx, wrk at CONNECTIONS keep-alive connections with run-bench's body, the
three measured one after the other in each round, the order reversed every
other round; medians reported with ratios to nginx (target: the Python host
>= TARGET_TO_NGINX of nginx).

The Python host is this file run as a script (--serve) by Debian's
/usr/bin/python3 (the interpreter CI and the README assume; a pyenv build
without --enable-optimizations costs 15-30% more CPU per run), or by this
interpreter where there is none, a process of its own on the release
build's nb_webhook.so: its handler counts the payloads
and their bytes, and prints `runs: N` once SIGTERM stopped the node and
every accepted run ended. Its lost runs are counted over all rounds, as
run-bench counts a sink's: 2xx answers without a run, or runs beyond those
wrk left in flight (one per connection per round).

run-bench --only-python runs it: measure() takes run-bench itself as
`bench` and uses its nginx, nb-host, wrk and summary helpers."""
import argparse
import asyncio
import os
import signal
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CONNECTIONS = 16
TARGET_TO_NGINX = 0.1
TARGETS = ("nginx", "nb", "python")
PYTHON = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else sys.executable
HELP = (f"run nginx, nb-host and the Python host (python/nbhost) alone, at {CONNECTIONS} "
        "keep-alive connections")


def start_python_host(bench, build, tmp, port):
    plugin = os.path.join(build, "plugin", "webhook", "nb_webhook.so")
    log = open(os.path.join(tmp, "python-host.log"), "w")
    proc = subprocess.Popen([PYTHON, os.path.abspath(__file__), "--serve", plugin,
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    log.close()
    try:
        bench.wait_listening(port, proc)
    except BaseException:
        bench.stop_process(proc, timeout=30)
        raise
    return proc


def runs_printed(tmp):
    with open(os.path.join(tmp, "python-host.log")) as f:
        found = [line.split()[1] for line in f if line.startswith("runs: ")]
    return int(found[-1]) if found else None


def measure(bench, build, tmp, rounds, duration):
    """The row's figures: wrk's summary per target, the ratios, lost runs."""
    sink = os.path.join(tmp, "python-row-sink.jsonl")
    ports = {t: bench.free_port() for t in TARGETS}
    procs = {"nginx": bench.start_nginx(tmp, ports["nginx"])}
    try:
        procs["nb"] = bench.start_nb(build, tmp, "nb-host", bench.journal_workflow(ports["nb"], sink),
                                     ports["nb"], bench.MEMORY_MODE)
        procs["python"] = start_python_host(bench, build, tmp, ports["python"])
        results = {t: [] for t in TARGETS}
        nb_runs = nb_answered = 0
        for rnd in range(rounds):
            for target in TARGETS if rnd % 2 == 0 else reversed(TARGETS):
                before = bench.settle(sink) if target == "nb" else 0
                r = bench.run_wrk(ports[target], bench.PATH, CONNECTIONS, True, duration)
                if target == "nb":
                    nb_runs += bench.settle(sink) - before
                    nb_answered += r["requests"] - r["non2xx"]
                results[target].append(r)
                print(f"round {rnd + 1} {target:6} python row: {r['rps']:.0f} req/s "
                      f"p99 {r['p99_ms']:.2f} ms errors {r['errors']} non-2xx {r['non2xx']}",
                      file=sys.stderr)
    finally:
        exits = {t: bench.stop_process(p, signal.SIGQUIT if t == "nginx" else signal.SIGTERM,
                                       timeout=30) for t, p in procs.items()}
    py_runs = runs_printed(tmp)
    py_answered = sum(r["requests"] - r["non2xx"] for r in results["python"])
    row = {t: bench.summarize(results[t]) for t in TARGETS}
    version = subprocess.run([PYTHON, "-c", "import platform; print(platform.python_version())"],
                             capture_output=True, text=True).stdout.strip()
    row.update(
        connections=CONNECTIONS, exits=exits, interpreter=f"{PYTHON} {version}",
        python_to_nginx=row["python"]["rps"] / row["nginx"]["rps"],
        nb_to_nginx=row["nb"]["rps"] / row["nginx"]["rps"],
        python_to_nb=row["python"]["rps"] / row["nb"]["rps"],
        python_runs=py_runs,
        python_lost=None if py_runs is None else
        bench.lost_and_unseen(py_answered, py_runs, CONNECTIONS * rounds)[0],
        nb_lost=bench.lost_and_unseen(nb_answered, nb_runs, CONNECTIONS * rounds)[0])
    return row


def markdown(bench, row):
    met = row["python_to_nginx"] >= TARGET_TO_NGINX
    return ["", f"The Python host (`python/nbhost`, issue 18): `{bench.PATH}` → an asyncio "
            "handler that counts each payload, beside nb-host (`--journal off`, "
            f"`{bench.PATH}` → sink) and nginx, {row['connections']} keep-alive connections:", "",
            "| target | req/s | ratio to nginx | p50 / p99 ms | errors / non-2xx | lost runs |",
            "|---|---:|---:|---:|---:|---:|",
            f"| nginx | {row['nginx']['rps']:.0f} | 1.00x | {bench.pair(row['nginx'])} | "
            f"{row['nginx']['errors']} / {row['nginx']['non2xx']} | |",
            f"| nb-host | {row['nb']['rps']:.0f} | {row['nb_to_nginx']:.2f}x | "
            f"{bench.pair(row['nb'])} | {row['nb']['errors']} / {row['nb']['non2xx']} | "
            f"{row['nb_lost']} |",
            f"| Python host ({row['interpreter']}) | {row['python']['rps']:.0f} | {row['python_to_nginx']:.2f}x | "
            f"{bench.pair(row['python'])} | {row['python']['errors']} / "
            f"{row['python']['non2xx']} | {'not counted' if row['python_lost'] is None else row['python_lost']} |",
            "", f"Python host / nb-host: {row['python_to_nb']:.2f}x. Target: the Python host "
            f">= {TARGET_TO_NGINX}x nginx: {row['python_to_nginx']:.2f}x, "
            f"{'met' if met else '**NOT met**'}. Exit codes: "
            + ", ".join(f"{t} {c}" for t, c in row["exits"].items()) + "."]


async def serve(nbhost, plugin, port):
    """The Python host under measure: counts runs; `runs: N` on SIGTERM."""
    runs = received = 0

    async def handler(run):
        nonlocal runs, received
        runs += 1
        received += len(run.outputs["received_data"])

    host = nbhost.Host()
    node = plugin.create_node("events.webhook", "hook", host)
    node.set_widget("port", port)
    node.set_widget("bind", "127.0.0.1")
    node.start(handler)
    stopping = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stopping.set)
    await stopping.wait()
    node.stop()
    await host.drain()
    node.destroy()
    print(f"runs: {runs}\nbytes: {received}", flush=True)


def main():
    ap = argparse.ArgumentParser(description="the Python host of run-bench's python row")
    ap.add_argument("--serve", required=True, metavar="NB_WEBHOOK_SO")
    ap.add_argument("--port", type=int, required=True)
    args = ap.parse_args()
    sys.path.insert(0, os.path.join(ROOT, "python"))
    import nbhost
    with nbhost.Plugin.load(args.serve) as plugin:
        asyncio.run(serve(nbhost, plugin, args.port))


if __name__ == "__main__":
    main()
