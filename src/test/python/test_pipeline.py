"""The Compute functions fit, convert and analyze, run through the real job scripts with fake tools."""

import json
import os
import time

from hpc_testing import HOST, JOB_DIR, STANDINS, TempDirTest, pipeline_namespace

FAKES = {
    "FW_CONTAINER": "none",
    "FW_MPI_LAUNCHER": "none",
    "FW_DAQ_SETUP": "",
    "FW_ROOT_SETUP": "",
    "FW_ANALYZE_SETUP": "",
    "FW_FIT_TOOL": os.path.join(STANDINS, "fake_eventeditor.sh"),
    "FW_CONVERT_TOOL": os.path.join(STANDINS, "fake_eeconverter.sh"),
    "FW_ANALYZE_TOOL": os.path.join(STANDINS, "fake_betasort.sh"),
}


class PipelineTest(TempDirTest):
    def setUp(self):
        super().setUp()
        # Loaded as the endpoint loads it, so a helper that only works as a module would fail here.
        self.ns = pipeline_namespace()
        self.logs = self.path("logs")

    def raw_run(self, run_dir="run1217", segments=("00", "01", "02"), failing=()):
        for seg in segments:
            number = run_dir[3:].zfill(4)
            self.write("rawdata/%s/run-%s-%s.evt" % (run_dir, number, seg),
                       "FAIL\n" if seg in failing else "events of segment %s\n" % seg)
        return self.path("rawdata", run_dir)

    def call(self, stage, input_path, output_path, env=None, **options):
        options.setdefault("launcher", "direct")
        options.setdefault("job_dir", JOB_DIR)
        merged = dict(FAKES)
        merged["FW_SCRATCH"] = self.path("scratch")
        merged.update(env or {})
        return self.ns[stage](endpoint_id="ff16dcd1-0632-4fdd-8b0c-d239d4f1b889", input_path=input_path,
                              output_path=output_path, log_dir=self.logs, env=merged, **options)

    def test_fit_runs_every_segment_and_returns_a_json_summary(self):
        summary = self.call("fit", self.raw_run(), self.path("fitted/run1217"))

        self.assertTrue(summary["ok"])
        self.assertEqual([0, 1, 2], summary["segments_found"])
        self.assertEqual(sorted(os.listdir(self.path("fitted/run1217"))),
                         ["run-1217-00-fitted.evt", "run-1217-01-fitted.evt", "run-1217-02-fitted.evt"])
        self.assertEqual("fitted\nevents of segment 01\n", self.read("fitted/run1217/run-1217-01-fitted.evt"))
        for job in summary["jobs"]:
            self.assertEqual(0, job["exit_code"])
            self.assertEqual(os.path.join(self.logs, "fit-run-1217-%02d-nojob-%s.log" % (job["segment"], HOST)),
                             job["log"])
            self.assertTrue(os.path.isfile(job["log"]))
        self.assertEqual(json.loads(json.dumps(summary)), summary)
        self.assertEqual([], os.listdir(self.path("scratch")), "scratch is cleaned up")

    def test_one_failing_segment_raises_naming_it_with_the_tail_of_its_log(self):
        with self.assertRaises(RuntimeError) as caught:
            self.call("fit", self.raw_run(failing=("01",)), self.path("fitted/run1217"), max_parallel=1)

        message = str(caught.exception)
        self.assertIn("fit of run 1217 failed: segment 01 exited with 3", message)
        self.assertIn("EventEditor: bad trace", message)
        self.assertIn("fit-run-1217-01-nojob-%s.log" % HOST, message)
        self.assertIn("---- tool exit status 3 ----", message)
        self.assertIn("segment 02 not started: an earlier job failed", message)
        self.assertIn("1 of 3 jobs succeeded", message)

    def test_parallelism_is_bounded(self):
        trace = self.path("trace")
        self.call("fit", self.raw_run(segments=("00", "01", "02", "03", "04", "05")), self.path("fitted/run1217"),
                  env={"FAKE_SLEEP": "0.4", "FAKE_TRACE": trace}, max_parallel=2)

        events = []
        with open(trace, encoding="utf-8") as f:
            for line in f:
                kind, when, _ = line.split(" ", 2)
                events.append((float(when), 1 if kind == "start" else -1))
        running = peak = 0
        for _, step in sorted(events, key=lambda e: (e[0], e[1])):
            running += step
            peak = max(peak, running)
        self.assertEqual(2, peak, "two segments at a time, never more")

    def test_the_time_limit_stops_running_jobs_and_raises(self):
        started = time.monotonic()
        with self.assertRaises(RuntimeError) as caught:
            self.call("fit", self.raw_run(segments=("00",)), self.path("fitted/run1217"),
                      env={"FAKE_SLEEP": "30"}, time_limit=1)

        self.assertLess(time.monotonic() - started, 15)
        self.assertIn("segment 00 stopped: the time limit of 1 s was reached", str(caught.exception))

    def test_fit_convert_analyze_chain_produces_the_sorted_run(self):
        self.call("fit", self.raw_run(), self.path("fitted/run1217"))
        converted = self.call("convert", self.path("fitted/run1217"), self.path("converted/run1217"))
        analyzed = self.call("analyze", self.path("converted/run1217"), self.path("analyzed"))

        self.assertEqual([self.path("converted/run1217/run-1217-%02d-fitted.root" % s) for s in range(3)],
                         converted["outputs"])
        self.assertEqual([self.path("analyzed/run-1217-sorted.root")], analyzed["outputs"])
        self.assertTrue(self.read("analyzed/run-1217-sorted.root").startswith("sorted 1217 3\n"))
        self.assertEqual(os.path.join(self.logs, "analyze-run-1217-nojob-%s.log" % HOST), analyzed["jobs"][0]["log"])

    def test_runs_below_1000_are_zero_padded_everywhere(self):
        summary = self.call("fit", self.raw_run("run7", segments=("00",)), self.path("fitted/run7"))

        self.assertEqual([self.path("fitted/run7/run-0007-00-fitted.evt")], summary["outputs"])
        self.assertTrue(summary["jobs"][0]["log"].endswith("fit-run-0007-00-nojob-%s.log" % HOST))

    def test_unpadded_segment_names_are_refused(self):
        self.write("rawdata/run7/run-7-00.evt", "x")
        with self.assertRaises(RuntimeError) as caught:
            self.call("fit", self.path("rawdata/run7"), self.path("fitted/run7"))
        self.assertIn("run numbers must be written %04d", str(caught.exception))

    def test_a_run_without_segments_is_an_error(self):
        os.makedirs(self.path("rawdata/run1217"))
        with self.assertRaises(RuntimeError) as caught:
            self.call("fit", self.path("rawdata/run1217"), self.path("fitted/run1217"))
        self.assertIn("no segments of run 1217", str(caught.exception))
        self.assertIn("run-1217-00.evt", str(caught.exception))

    def test_a_missing_job_script_says_which_setting_to_fix(self):
        with self.assertRaises(RuntimeError) as caught:
            self.call("fit", self.raw_run(), self.path("fitted/run1217"), job_dir=self.path("nowhere"))
        self.assertIn("FLOWWATCH_JOB_DIR", str(caught.exception))

    def test_settings_come_from_the_environment_stage_first(self):
        os.environ["FLOWWATCH_MAX_PARALLEL"] = "3"
        os.environ["FLOWWATCH_FIT_MAX_PARALLEL"] = "5"
        self.addCleanup(os.environ.pop, "FLOWWATCH_MAX_PARALLEL")
        self.addCleanup(os.environ.pop, "FLOWWATCH_FIT_MAX_PARALLEL")
        self.assertEqual(5, self.ns["_positive_int"]("fit", "max_parallel", {}, 4))
        self.assertEqual(3, self.ns["_positive_int"]("convert", "max_parallel", {}, 4))
        self.assertEqual(2, self.ns["_positive_int"]("fit", "max_parallel", {"max_parallel": 2}, 4))

    def test_launcher_commands(self):
        context = {"script": "/jobs/run_compute_fit_mpi.sh", "deadline": time.monotonic() + 600,
                   "log_dir": "/logs", "srun_options": ["-c", "128"], "sbatch_options": ["-A", "m4386", "-q", "debug"]}
        context["launcher"] = "sbatch"
        self.assertEqual(["sbatch", "--wait", "--parsable", "--job-name=fw-fit-run-1217-01",
                          "--output=/logs/fw-fit-run-1217-01-%j.slurm.out", "--time=10", "-A", "m4386", "-q", "debug",
                          "/jobs/run_compute_fit_mpi.sh", "1217", "01"],
                         self.ns["_command"](context, "fw-fit-run-1217-01", ["1217", "01"]))
        context["launcher"] = "srun"
        self.assertEqual(["srun", "--job-name=x", "--nodes=1", "--ntasks=1", "--time=10", "-c", "128",
                          "/jobs/run_compute_fit_mpi.sh", "1217", "01"],
                         self.ns["_command"](context, "x", ["1217", "01"]))
        context["launcher"] = "direct"
        self.assertEqual(["/jobs/run_compute_fit_mpi.sh", "1217", "01"], self.ns["_command"](context, "x", ["1217", "01"]))
