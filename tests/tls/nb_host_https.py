"""nb-host serving HTTPS, end to end: the listening line says https:// and a
curl POST gets 200; a key file nb-host cannot read refuses the start naming
the node and the file. CI runs as root, who reads every file: the refused
start then runs with privileges dropped (setpriv to nobody).

Usage: nb_host_https.py --nb-host PATH [unittest options]
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from harness import free_port  # noqa: E402

NB_HOST = None


class HttpsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="nb-https-")
        os.chmod(self.dir, 0o755)
        self.cert = os.path.join(self.dir, "cert.pem")
        self.key = os.path.join(self.dir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-days", "30",
                        "-keyout", self.key, "-out", self.cert, "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                       check=True, capture_output=True)
        os.chmod(self.cert, 0o644)
        self.port = free_port()
        self.workflow = os.path.join(self.dir, "https.json")
        with open(self.workflow, "w") as f:
            json.dump({"name": "https", "nodes": [
                {"id": "hook", "type": "events.webhook",
                 "widgets": {"port": self.port, "tls_cert": self.cert, "tls_key": self.key}},
                {"id": "show", "type": "basic.log"}],
                "edges": [{"from": "hook.received_data", "to": "show.text"}]}, f)
        os.chmod(self.workflow, 0o644)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_listening_line_says_https_and_a_post_gets_200(self):
        os.chmod(self.key, 0o644)
        host = subprocess.Popen([NB_HOST, "run", self.workflow, "--journal", "off"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            line = host.stdout.readline().strip()
            self.assertEqual(line, f"listening: https://0.0.0.0:{self.port}/webhook (node hook)")
            curl = subprocess.run(["curl", "-sS", "--cacert", self.cert, "-d", '{"a":1}',
                                   "-w", " %{http_code}",
                                   f"https://localhost:{self.port}/webhook"],
                                  capture_output=True, text=True, timeout=30)
            self.assertEqual(curl.stdout, '{"status":"ok"} 200')
        finally:
            host.send_signal(signal.SIGTERM)
            host.communicate(timeout=30)
        self.assertEqual(host.returncode, 0)

    def test_an_unreadable_key_refuses_the_start_naming_node_and_file(self):
        os.chmod(self.key, 0o600 if os.geteuid() == 0 else 0o000)
        nb_host, env = NB_HOST, dict(os.environ)
        drop = []
        if os.geteuid() == 0:
            drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            nb_host, env["NB_PLUGIN_PATH"] = self.copies_nobody_can_run()
        host = subprocess.run(drop + [nb_host, "run", self.workflow, "--journal", "off"], capture_output=True,
                              text=True, timeout=60, env=env)
        self.assertNotEqual(host.returncode, 0)
        self.assertIn(f'node "hook": key file "{self.key}" cannot be read: Permission denied',
                      host.stderr)


    def copies_nobody_can_run(self):
        """nb-host and the plugins of NB_PLUGIN_PATH copied into this test's
        folder: the build may lie below a folder only root may enter (a
        clone in a mktemp folder). Returns the copy of nb-host and the
        plugin path to give it."""
        plugins = os.path.join(self.dir, "plugins")
        os.mkdir(plugins)
        for folder in os.environ.get("NB_PLUGIN_PATH", "").split(":"):
            for name in os.listdir(folder) if os.path.isdir(folder) else []:
                if name.endswith(".so"):
                    shutil.copy(os.path.join(folder, name), plugins)
        nb_host = shutil.copy(NB_HOST, os.path.join(self.dir, "nb-host"))
        for path in [plugins, nb_host] + [os.path.join(plugins, n) for n in os.listdir(plugins)]:
            os.chmod(path, 0o755)
        return nb_host, plugins


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--nb-host", required=True)
    args, rest = parser.parse_known_args()
    NB_HOST = args.nb_host
    unittest.main(argv=[sys.argv[0]] + rest)
