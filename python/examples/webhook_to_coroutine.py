#!/usr/bin/env python3
"""The seed's Webhook Node in a Python asyncio host: events.webhook listens
on :8181/webhook and each POST body is awaited in an async handler that
prints it. With --respond the webhook waits for the run
(respond=when_finished) and the handler's Reply is the caller's answer.

    python3 python/examples/webhook_to_coroutine.py [--respond] [--port N]
        [--plugin build/plugin/webhook/nb_webhook.so]
    curl -X POST -d 'hello' http://localhost:8181/webhook

Ctrl-C stops it: the node stops listening, the runs it accepted finish.
"""
import argparse
import asyncio
import json
import logging
import os
import signal
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import nbhost  # noqa: E402  (after the path that finds it)

DEFAULT_PLUGIN = os.path.join(HERE, "..", "..", "build", "plugin", "webhook", "nb_webhook.so")


async def print_payload(run):
    print(f"[run {run.run_id}] {run.text('received_data')}", flush=True)


async def reply_with_payload(run):
    await print_payload(run)
    return nbhost.Reply(200, json.dumps({"received": run.text("received_data")}))


async def serve(plugin, args):
    host = nbhost.Host()
    node = plugin.create_node("events.webhook", "hook", host)
    node.set_widget("port", args.port)
    if args.respond:
        node.set_widget("respond", "when_finished")
    node.start(reply_with_payload if args.respond else print_payload)
    for address in node.listen_addresses():
        print(f"listening: {address.url} (node {node.id})", flush=True)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    await stopping.wait()
    node.stop()
    await host.drain()
    node.destroy()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--respond", action="store_true",
                    help="answer each POST with the handler's reply (respond=when_finished)")
    ap.add_argument("--port", type=int, default=8181)
    ap.add_argument("--plugin", default=os.environ.get("NB_WEBHOOK_PLUGIN", DEFAULT_PLUGIN))
    args = ap.parse_args()
    logging.basicConfig(format="nbhost: %(levelname)s: %(message)s")
    try:
        plugin = nbhost.Plugin.load(args.plugin)
    except nbhost.PluginError as e:
        sys.exit(f"webhook_to_coroutine: {e} (build it first: scripts/build build)")
    with plugin:
        try:
            asyncio.run(serve(plugin, args))
        except nbhost.NodeError as e:
            sys.exit(f"webhook_to_coroutine: {e}")
    print("stopped", flush=True)


if __name__ == "__main__":
    main()
