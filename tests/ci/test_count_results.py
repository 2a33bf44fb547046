#!/usr/bin/env python3
"""scripts/count-results on synthetic meson test logs: a stage that ran
nothing, skipped something or crashed must never pass.

Usage: test_count_results.py PATH_TO_COUNT_RESULTS
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = None


def doctest_out(total, passed, failed, skipped=None):
    """A doctest binary's stdout; skipped=None leaves that part out."""
    line = f"[doctest] test cases: {total:2} | {passed:2} passed | {failed} failed"
    if skipped is not None:
        line += f" | {skipped} skipped"
    return f'[doctest] doctest version is "2.4.9"\n{"=" * 79}\n{line}\n'


def entry(name, result="OK", stdout=""):
    return {"name": f"nb-webhook:unit / {name}", "stdout": stdout, "result": result,
            "returncode": 0 if result == "OK" else 1}


class CountResults(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.dir = tmp.name

    def log(self, name, entries):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(e) + "\n" for e in entries)
        return path

    def run_count(self, *logs):
        r = subprocess.run([sys.executable, SCRIPT, *logs], capture_output=True, text=True)
        return r.stdout.splitlines()[-1], r.returncode, r.stderr

    def test_counts_doctest_cases_and_other_tests_across_logs(self):
        plain = self.log("testlog.json", [
            entry("a", stdout=doctest_out(5, 5, 0, 0)),
            entry("b", stdout=doctest_out(12, 12, 0)),
        ])
        fuzz = self.log("testlog-fuzz.json", [entry("fuzz_utf8", stdout="Done 1000 runs\n")])
        self.assertEqual(self.run_count(plain, fuzz)[:2], ("18 passed, 0 failed", 0))

    def test_failed_cases_count_each(self):
        log = self.log("testlog.json", [entry("a", "FAIL", doctest_out(5, 3, 2, 0))])
        self.assertEqual(self.run_count(log)[:2], ("3 passed, 2 failed", 1))

    def test_missing_log_fails_and_is_named(self):
        good = self.log("testlog.json", [entry("a", stdout=doctest_out(5, 5, 0, 0))])
        missing = os.path.join(self.dir, "testlog-valgrind.json")
        last, code, err = self.run_count(good, missing)
        self.assertEqual((last, code), ("5 passed, 1 failed", 1))
        self.assertIn(missing, err)

    def test_log_with_no_entry_fails(self):
        empty = self.log("testlog.json", [])
        last, code, err = self.run_count(empty)
        self.assertEqual((last, code), ("0 passed, 1 failed", 1))
        self.assertIn(empty, err)

    def test_doctest_binary_with_no_test_case_fails(self):
        log = self.log("testlog.json", [
            entry("a", stdout=doctest_out(5, 5, 0, 0)),
            entry("none", stdout=doctest_out(0, 0, 0, 0)),
        ])
        last, code, err = self.run_count(log)
        self.assertEqual((last, code), ("5 passed, 1 failed", 1))
        self.assertIn("none ran no test case", err)

    def test_meson_skip_fails(self):
        log = self.log("testlog.json", [
            entry("a", stdout=doctest_out(5, 5, 0, 0)),
            entry("skipped", "SKIP"),
        ])
        self.assertEqual(self.run_count(log)[:2], ("5 passed, 1 failed", 1))

    def test_doctest_skipped_cases_fail(self):
        log = self.log("testlog.json", [entry("a", stdout=doctest_out(4, 4, 0, 2))])
        last, code, err = self.run_count(log)
        self.assertEqual((last, code), ("4 passed, 2 failed", 1))
        self.assertIn("skipped 2", err)

    def test_crash_after_clean_summary_adds_a_failure(self):
        log = self.log("testlog.json", [entry("a", "FAIL", doctest_out(5, 5, 0, 0))])
        self.assertEqual(self.run_count(log)[:2], ("5 passed, 1 failed", 1))

    def test_failed_test_without_summary_counts_one_failure(self):
        log = self.log("testlog.json", [entry("fuzz_request", "TIMEOUT", "crash-123\n")])
        self.assertEqual(self.run_count(log)[:2], ("0 passed, 1 failed", 1))

    def test_cut_entry_of_interrupted_run_fails(self):
        log = self.log("testlog.json", [entry("a", stdout=doctest_out(5, 5, 0, 0))])
        with open(log, "a", encoding="utf-8") as f:
            f.write('{"name": "nb-webhook:unit / b", "stdo')
        self.assertEqual(self.run_count(log)[:2], ("5 passed, 1 failed", 1))

    def test_nothing_counted_is_not_a_pass(self):
        self.assertEqual(self.run_count()[:2], ("0 passed, 0 failed", 1))


if __name__ == "__main__":
    SCRIPT = sys.argv.pop(1)
    unittest.main()
