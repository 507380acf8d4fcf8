"""Runs the HPC-side Python tests for the Maven build (exec-maven-plugin, integration-test phase).

The full unittest report goes to FLOWWATCH_TEST_TMP/report.txt; the console gets one summary line, and
the whole report when something failed, so a quiet build stays quiet and a failure is never hidden.
Usage: python3 src/test/python/run_tests.py [unittest name patterns...]
"""

import io
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def main(patterns):
    out_dir = os.environ.get("FLOWWATCH_TEST_TMP") or os.path.normpath(
        os.path.join(HERE, "..", "..", "..", "target", "python-tests"))
    os.makedirs(out_dir, exist_ok=True)
    sys.path.insert(0, HERE)
    loader = unittest.TestLoader()
    if patterns:
        loader.testNamePatterns = ["*%s*" % p for p in patterns]
    suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    report = io.StringIO()
    started = time.monotonic()
    result = unittest.TextTestRunner(stream=report, verbosity=2).run(suite)
    text = report.getvalue()
    with open(os.path.join(out_dir, "report.txt"), "w", encoding="utf-8") as f:
        f.write(text)
    summary = "python tests: %d run, %d failed, %d errors, %d skipped in %.1f s (report: %s)" % (
        result.testsRun, len(result.failures), len(result.errors), len(result.skipped),
        time.monotonic() - started, os.path.join(out_dir, "report.txt"))
    if not result.wasSuccessful():
        sys.stderr.write(text)
    sys.stderr.write(summary + "\n")
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
