"""A program that leaves its webhook started, with callers waiting, and
simply ends: test_exit.py runs it and checks that the interpreter exits
cleanly. Usage: left_loaded.py PLUGIN PORT RESPOND RUNS; prints `listening`
once it serves, `leaving` once RUNS runs began, `finalized` last."""
import atexit
import sys

# Registered before nbhost's hook, so it runs after it: last.
atexit.register(lambda: print("finalized", flush=True))

import asyncio  # noqa: E402
import logging  # noqa: E402

import nbhost  # noqa: E402


async def main(plugin, port, respond, runs):
    host = nbhost.Host()
    node = plugin.create_node("events.webhook", "hook", host)
    node.set_widget("port", port)
    node.set_widget("bind", "127.0.0.1")
    node.set_widget("respond", respond)
    enough, never = asyncio.Event(), asyncio.Event()
    began = 0

    async def handler(run):
        nonlocal began
        began += 1
        if began == runs:
            enough.set()
        if run.awaited:
            await never.wait()

    node.start(handler)
    print("listening", flush=True)
    await enough.wait()
    print("leaving", flush=True)


if __name__ == "__main__":
    logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s %(message)s")
    plugin_path, port, respond, runs = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    asyncio.run(main(nbhost.Plugin.load(plugin_path), port, respond, runs))
