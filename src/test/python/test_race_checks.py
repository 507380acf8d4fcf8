"""What the race (bench/race.py) trusts to call a run exactly-once: the stub's record of accepted starts,
per flow, and the check that reads it. Timings are not tested here; the race is a benchmark."""

import contextlib
import io
import json
import os
import subprocess
import sys
import unittest
import urllib.error
import urllib.request

BENCH = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench"))
sys.path.insert(0, BENCH)
import race  # noqa: E402  (bench/ is not a package)

FLOW_A = "aaaaaaaa-1111-4111-8111-111111111111"
FLOW_B = "bbbbbbbb-2222-4222-8222-222222222222"
FLOW_C = "cccccccc-3333-4333-8333-333333333333"


class StubRecordsAcceptedStartsPerFlow(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc = subprocess.Popen([sys.executable, os.path.join(BENCH, "stub_flows.py")], stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL)
        cls.url = "http://127.0.0.1:%d" % int(cls.proc.stdout.readline().split()[1])

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        cls.proc.wait(10)
        cls.proc.stdout.close()

    def post_start(self, flow, label, bearer=True):
        headers = {"Content-Type": "application/json"}
        if bearer:
            headers["Authorization"] = "Bearer stub-x"
        req = urllib.request.Request("%s/flows/%s/run" % (self.url, flow), method="POST", headers=headers,
                                     data=json.dumps({"body": {}, "label": label}).encode())
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    def starts(self, flow):
        with urllib.request.urlopen("%s/_bench/starts?flow=%s" % (self.url, flow), timeout=10) as r:
            return json.loads(r.read())["starts"]

    def test_a_refused_start_is_not_recorded_and_each_flow_sees_only_its_own(self):
        self.assertEqual(401, self.post_start(FLOW_A, "run00001", bearer=False))
        self.assertEqual(201, self.post_start(FLOW_A, "run00002"))
        self.assertEqual(201, self.post_start(FLOW_B, "run00003"))

        self.assertEqual([["run00002", FLOW_A]], [s[1:] for s in self.starts(FLOW_A)])
        self.assertEqual([["run00003", FLOW_B]], [s[1:] for s in self.starts(FLOW_B)])

    def list_page(self, query):
        req = urllib.request.Request("%s/runs?%s" % (self.url, query), headers={"Authorization": "Bearer stub-x"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def labels_listed(self, page):
        labels = [r["label"] for r in page["runs"]]
        while page["has_next_page"]:
            page = self.list_page("marker=" + page["marker"])
            labels += [r["label"] for r in page["runs"]]
        return labels

    def test_the_pages_of_a_listing_show_each_of_its_runs_once_and_no_later_run(self):
        for i in range(45):
            self.assertEqual(201, self.post_start(FLOW_C, "run%05d" % i))
        first = self.list_page("filter_flow_id=%s" % FLOW_C)
        self.assertEqual(201, self.post_start(FLOW_C, "run00045"))  # after the listing began

        self.assertEqual(["run%05d" % i for i in range(45)], self.labels_listed(first))
        self.assertEqual(["run%05d" % i for i in range(46)],
                         self.labels_listed(self.list_page("filter_flow_id=%s" % FLOW_C)))

class ExactlyOnceCheck(unittest.TestCase):
    def check(self, labels, expected):
        v = race.Violations()
        with contextlib.redirect_stdout(io.StringIO()):
            ok = v.check(1, "flowwatch", [(0, label, FLOW_A) for label in labels], expected)
        return ok, [text for _, text in v.found], v.count["flowwatch"]

    def test_one_start_per_directory_passes(self):
        self.assertEqual((True, [], 0), self.check(["run1 \u00b7 fw-1", "run2 \u00b7 fw-2"], ["run1", "run2"]))

    def test_a_double_a_missed_and_an_unexpected_start_are_each_a_breach(self):
        ok, found, count = self.check(["run1 \u00b7 fw-1", "run1 \u00b7 fw-9", "run3"], ["run1", "run2"])
        self.assertFalse(ok)
        self.assertEqual(3, count)
        self.assertIn("figure 1, flowwatch: run1 started 2 times", found)
        self.assertIn("figure 1, flowwatch: run2 never started", found)
        self.assertIn("figure 1, flowwatch: run3 started 1 times but should not have started", found)

    def test_only_flowwatch_breaches_fail_the_race(self):
        v = race.Violations()
        with contextlib.redirect_stdout(io.StringIO()):
            v.check(6, "gfte", [(0, "run1", FLOW_A), (1, "run1", FLOW_A)], ["run1"])
        self.assertEqual(1, v.count["gfte"])
        self.assertEqual([], v.flowwatch())


if __name__ == "__main__":
    unittest.main()
