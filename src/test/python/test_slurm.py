"""Real Slurm and MPI: a one-node cluster started here, the job scripts through sbatch --wait, and the
Compute functions through their sbatch and srun launchers, with an MPI stand-in for EventEditor.

Needs root, slurm-wlm, munge and Open MPI (dev/install-test-deps.sh). FLOWWATCH_SKIP_SLURM=1 skips this
module where that is impossible; it is never skipped silently.
"""

import os
import shutil
import subprocess
import sys
import unittest

from hpc_testing import JOB_DIR, REPO, STANDINS, TempDirTest, pipeline_namespace

CLUSTER = None
MPI_TOOL = None


def _base():
    return os.environ.get("FLOWWATCH_TEST_TMP") or os.path.join(REPO, "target", "python-tests")


def setUpModule():
    global CLUSTER, MPI_TOOL
    if os.environ.get("FLOWWATCH_SKIP_SLURM") == "1":
        raise unittest.SkipTest("FLOWWATCH_SKIP_SLURM=1")
    missing = [c for c in ("sbatch", "slurmctld", "slurmd", "munged", "mpicc", "mpirun") if not shutil.which(c)
               and not os.path.exists("/usr/sbin/" + c)]
    if missing or os.geteuid() != 0:
        raise AssertionError("the Slurm tests need root and %s; run dev/install-test-deps.sh as root, or set"
                             " FLOWWATCH_SKIP_SLURM=1 to skip them" % (", ".join(missing) or "root"))
    CLUSTER = os.path.join(_base(), "slurm")
    os.environ["SLURM_CONF"] = os.path.join(CLUSTER, "slurm.conf")
    started = subprocess.run([os.path.join(REPO, "dev", "slurm", "start.sh"), CLUSTER], capture_output=True,
                             text=True, timeout=120, check=False)
    if started.returncode != 0:
        raise AssertionError("could not start the test cluster:\n" + started.stdout + started.stderr)
    MPI_TOOL = os.path.join(_base(), "mpi_eventeditor")
    subprocess.run(["mpicc", "-O2", "-o", MPI_TOOL, os.path.join(STANDINS, "mpi_eventeditor.c")], check=True,
                   timeout=120)


def tearDownModule():
    if CLUSTER:
        subprocess.run([os.path.join(REPO, "dev", "slurm", "stop.sh"), CLUSTER], capture_output=True, timeout=120,
                       check=False)


def job_state(job_id):
    shown = subprocess.run(["scontrol", "show", "job", "-o", job_id], capture_output=True, text=True,
                           timeout=30, check=True).stdout
    fields = dict(f.split("=", 1) for f in shown.split() if "=" in f)
    return fields["JobState"], fields["ExitCode"]


class SlurmTest(TempDirTest):
    def setUp(self):
        super().setUp()
        for seg in ("00", "01", "02"):
            self.write("rawdata/run1217/run-1217-%s.evt" % seg, "FAIL\n" if seg == "01" else "events %s\n" % seg)
        self.env = dict(os.environ)
        self.env.update({
            "FW_CONTAINER": "none",
            "FW_DAQ_SETUP": "",
            "FW_FIT_TOOL": MPI_TOOL,
            "FW_MPI_LAUNCHER": "mpirun --allow-run-as-root --oversubscribe",
            "FW_MPI_RANKS": "4",
            "FW_ROOT_SETUP": "",
            "FW_CONVERT_TOOL": os.path.join(STANDINS, "fake_eeconverter.sh"),
            "FW_ANALYZE_SETUP": "",
            "FW_ANALYZE_TOOL": os.path.join(STANDINS, "fake_betasort.sh"),
            "FW_LOG_DIR": self.path("logs"),
            "FW_SCRATCH": self.path("scratch"),
        })

    def sbatch_wait(self, wrapper, *args):
        """Starts `sbatch --wait` of a wrapper as a user would, from slurm_jobs/; returns the process."""
        return subprocess.Popen(
            ["sbatch", "--wait", "--parsable", "--cpus-per-task=1", "--mem=200M",
             "--output=" + self.path("slurm-%j.out"), wrapper] + list(args),
            cwd=JOB_DIR, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def finish(self, process):
        out, err = process.communicate(timeout=180)
        return process.returncode, out.strip().split(";")[0], err

    def test_job_scripts_through_sbatch_wait_and_a_failing_tool_fails_the_job(self):
        raw, fitted = self.path("rawdata/run1217"), self.path("fitted/run1217")
        self.write("fitted/run1217/run-1217-02-fitted.evt", "fitted earlier\n")
        self.write("converted/run1217/run-1217-00-fitted.root", "root 0\n")
        good = self.sbatch_wait("run_compute_fit_mpi.sl", "1217", "0", raw, fitted)
        bad = self.sbatch_wait("run_compute_fit_mpi.sl", "1217", "1", raw, fitted)
        convert = self.sbatch_wait("run_compute_convert.sl", "1217", "2", fitted, self.path("converted/run1217"))
        analyze = self.sbatch_wait("run_compute_analyze.sl", "1217", "1", self.path("converted/run1217"),
                                   self.path("analyzed"))

        code, job, err = self.finish(good)
        self.assertEqual(0, code, err)
        self.assertEqual(("COMPLETED", "0:0"), job_state(job))
        self.assertTrue(self.read("fitted/run1217/run-1217-00-fitted.evt").startswith("fitted by 4 ranks"),
                        "the MPI stand-in ran on 4 ranks")
        self.assertTrue(os.path.isfile(self.path("logs/fit-run-1217-00-%s-localhost.log" % job)))

        code, job, err = self.finish(bad)
        self.assertEqual(3, code, "sbatch --wait returns the tool's status")
        self.assertEqual(("FAILED", "3:0"), job_state(job))
        self.assertFalse(os.path.exists(self.path("fitted/run1217/run-1217-01-fitted.evt")))
        self.assertIn("bad trace", self.read("logs/fit-run-1217-01-%s-localhost.log" % job))

        code, job, err = self.finish(convert)
        self.assertEqual(0, code, err)
        self.assertTrue(os.path.isfile(self.path("converted/run1217/run-1217-02-fitted.root")))
        self.assertTrue(os.path.isfile(self.path("logs/convert-run-1217-02-%s-localhost.log" % job)))

        code, job, err = self.finish(analyze)
        self.assertEqual(0, code, err)
        self.assertTrue(self.read("analyzed/run-1217-sorted.root").startswith("sorted 1217 1\n"))
        self.assertTrue(os.path.isfile(self.path("logs/analyze-run-1217-%s-localhost.log" % job)))

    def call(self, stage, input_path, output_path, **options):
        ns = pipeline_namespace()
        env = {k: v for k, v in self.env.items() if k.startswith("FW_")}
        return ns[stage](endpoint_id="ff16dcd1-0632-4fdd-8b0c-d239d4f1b889", input_path=input_path,
                         output_path=output_path, log_dir=self.path("logs"), job_dir=JOB_DIR, env=env, **options)

    def test_the_functions_sbatch_launcher_raises_for_the_failing_segment_and_keeps_the_others(self):
        with self.assertRaises(RuntimeError) as caught:
            self.call("fit", self.path("rawdata/run1217"), self.path("fitted/run1217"), launcher="sbatch",
                      sbatch_options="--cpus-per-task=1 --mem=200M", max_parallel=3)

        message = str(caught.exception)
        self.assertRegex(message, r"fit of run 1217 failed: segment 01 exited with 3 \(Slurm job \d+, FAILED\)")
        self.assertIn("mpi_eventeditor: bad trace", message)
        self.assertIn("2 of 3 jobs succeeded", message)
        self.assertEqual(["run-1217-00-fitted.evt", "run-1217-02-fitted.evt"],
                         sorted(os.listdir(self.path("fitted/run1217"))))

    def test_the_whole_pipeline_through_sbatch_and_srun(self):
        self.write("rawdata/run1217/run-1217-01.evt", "events 01\n")
        fitted = self.call("fit", self.path("rawdata/run1217"), self.path("fitted/run1217"), launcher="sbatch",
                           sbatch_options="--cpus-per-task=1 --mem=200M", max_parallel=3)
        converted = self.call("convert", self.path("fitted/run1217"), self.path("converted/run1217"),
                              launcher="srun", srun_options="--cpus-per-task=1 --mem=200M")
        analyzed = self.call("analyze", self.path("converted/run1217"), self.path("analyzed"), launcher="sbatch",
                             sbatch_options="--mem=200M")

        self.assertEqual(["COMPLETED"] * 3, [j["state"] for j in fitted["jobs"]])
        for job in fitted["jobs"]:
            self.assertTrue(job["job_id"].isdigit())
            self.assertTrue(job["log"].endswith("fit-run-1217-%02d-%s-localhost.log" % (job["segment"], job["job_id"])))
        self.assertEqual(3, len(converted["outputs"]))
        self.assertTrue(all("-localhost.log" in j["log"] and "nojob" not in j["log"] for j in converted["jobs"]),
                        "srun gives each script a Slurm job id")
        self.assertEqual([self.path("analyzed/run-1217-sorted.root")], analyzed["outputs"])
        self.assertTrue(self.read("analyzed/run-1217-sorted.root").startswith("sorted 1217 3\n"))


if __name__ == "__main__":
    sys.exit(unittest.main())
