"""What the race (bench/race.py) trusts to call a run exactly-once: the stub's record of accepted starts,
per flow, and the check that reads it. Timings are not tested here; the race is a benchmark."""

import contextlib
import io
import json
import os
import subprocess
import sys
import argparse
import tempfile
import threading
import time
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


class ABurstIsOverWhenEveryDirectoryStarted(unittest.TestCase):
    """Figure 6 waits for each directory of a burst, not for as many starts: doubles are starts too."""

    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix="race-test-")
        self.race = race.Race(argparse.Namespace(quick=True, only=None, tree=None, scratch=self.scratch))
        self.race.stub = race.Stub(self.scratch)
        self.watch = self.race.fresh("watch")
        self.stop = threading.Event()
        self.stall = race.STALL

    def tearDown(self):
        self.stop.set()
        race.STALL = self.stall
        self.race.stub.stop()
        self.race.stub.proc.stdout.close()

    def trigger(self, doubled=(), missed=(), pause_before=None):
        """A trigger that starts each complete directory in name order, twice for `doubled`, never for
        `missed`, and waits 1.5 s before it starts `pause_before`."""
        stop = self.stop

        def run():
            started = set()
            while not stop.is_set():
                for name in sorted(os.listdir(self.watch)):
                    if name in started or not os.path.exists(os.path.join(self.watch, name, race.SENTINEL)):
                        continue
                    started.add(name)
                    if name in missed:
                        continue
                    if name == pause_before:
                        time.sleep(1.5)
                    for _ in range(2 if name in doubled else 1):
                        self.post(name)
                time.sleep(0.01)
        threading.Thread(target=run, daemon=True).start()

    def post(self, name):
        req = urllib.request.Request("%s/flows/%s/run" % (self.race.stub.url, FLOW_A), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": "Bearer stub-x"},
                                     data=json.dumps({"body": {}, "label": name + " \u00b7 fw-1"}).encode())
        with urllib.request.urlopen(req, timeout=10):
            pass

    def test_doubles_early_in_the_burst_do_not_end_it_before_its_last_directory_started(self):
        names = ["run%05d" % i for i in range(20)]
        self.trigger(doubled=names[:3], pause_before=names[-1])
        took, _ = self.race.one_burst(self.watch, FLOW_A, names)
        self.assertIsInstance(took, float, took)
        self.assertGreater(took, 1.5)  # the last directory's start, after the pause

    def test_a_late_double_of_an_earlier_burst_neither_ends_the_wait_nor_makes_it_spin(self):
        first = ["run%05d" % i for i in range(3)]
        self.trigger()
        self.race.one_burst(self.watch, FLOW_A, first)
        self.stop.set()  # that trigger is done; the second burst is started below, its own way
        second = ["run%05d" % i for i in range(3, 5)]

        def late():
            while not os.path.exists(os.path.join(self.watch, second[-1], race.SENTINEL)):
                time.sleep(0.01)
            self.post(second[0])
            self.post(first[0])  # a double of the first burst, while the second's last is pending
            time.sleep(2.0)  # longer than the race's second look for late doubles
            self.post(second[1])
        threading.Thread(target=late, daemon=True).start()
        looks = []
        starts = self.race.stub.starts

        def counted(*args, **kwargs):
            looks.append(kwargs)
            return starts(*args, **kwargs)
        self.race.stub.starts = counted
        race.STALL = 4

        took, _ = self.race.one_burst(self.watch, FLOW_A, second)
        self.assertIsInstance(took, float, took)
        self.assertGreater(took, 2.0)
        self.assertLessEqual(len(looks), 6, "the wait asked the stub again and again: %d looks" % len(looks))

    def test_a_missed_directory_is_reported_once_no_start_came_for_the_stall_time(self):
        race.STALL = 1
        names = ["run%05d" % i for i in range(20)]
        self.trigger(doubled=names[:2], missed=names[5:6])
        took, _ = self.race.one_burst(self.watch, FLOW_A, names)
        self.assertEqual("never (19 of 20 started, 2 doubled; no start for 1 s)", took)


if __name__ == "__main__":
    unittest.main()
