"""The slurm_jobs/ scripts run directly: names, logs, and above all exit statuses."""

import os
import subprocess

from hpc_testing import HOST, JOB_DIR, STANDINS, TempDirTest


class JobScriptTest(TempDirTest):
    def setUp(self):
        super().setUp()
        self.write("raw/run-1217-00.evt", "events\n")
        self.write("raw/run-1217-01.evt", "FAIL\n")
        self.env = {
            "PATH": os.environ["PATH"], "HOME": self.dir,
            "FW_INPUT_DIR": self.path("raw"), "FW_OUTPUT_DIR": self.path("out"), "FW_LOG_DIR": self.path("logs"),
            "FW_SCRATCH": self.path("scratch"), "FW_CONTAINER": "none", "FW_MPI_LAUNCHER": "none",
            "FW_DAQ_SETUP": "", "FW_FIT_TOOL": os.path.join(STANDINS, "fake_eventeditor.sh"),
        }

    def run_script(self, *args, script="run_compute_fit_mpi.sh", **env):
        merged = dict(self.env)
        merged.update(env)
        return subprocess.run([os.path.join(JOB_DIR, script)] + list(args), env=merged, capture_output=True,
                              text=True, timeout=60, check=False)

    def test_success_writes_the_padded_output_and_names_the_log_first(self):
        done = self.run_script("1217", "0")

        self.assertEqual(0, done.returncode, done.stderr)
        self.assertEqual("fw: log %s\n" % self.path("logs", "fit-run-1217-00-nojob-%s.log" % HOST), done.stdout)
        self.assertEqual("fitted\nevents\n", self.read("out/run-1217-00-fitted.evt"))
        self.assertEqual([], [f for f in os.listdir(self.path("out")) if f.startswith(".")], "no partial files left")
        self.assertEqual([], os.listdir(self.path("scratch")))
        log = self.read("logs/fit-run-1217-00-nojob-%s.log" % HOST)
        for header in ("Run:       1217", "Segment:   00", "JobID:     nojob", "Node:      " + HOST):
            self.assertIn(header, log)

    def test_the_tools_exit_status_is_the_scripts_exit_status(self):
        done = self.run_script("1217", "1")

        self.assertEqual(3, done.returncode)
        self.assertFalse(os.path.exists(self.path("out/run-1217-01-fitted.evt")))
        self.assertIn("EventEditor: bad trace", self.read("logs/fit-run-1217-01-nojob-%s.log" % HOST))

    def test_a_tool_that_succeeds_without_output_fails_the_job(self):
        done = self.run_script("1217", "0", FW_FIT_TOOL="/bin/true")
        self.assertEqual(70, done.returncode)
        self.assertIn("wrote no run-1217-00-fitted.evt", done.stderr)

    def test_missing_input_and_bad_settings_have_their_own_codes(self):
        self.assertEqual(66, self.run_script("1217", "7").returncode)
        self.assertEqual(64, self.run_script("1217").returncode)
        self.assertEqual(64, self.run_script("12x7", "0").returncode)
        self.assertEqual(64, self.run_script("1217", "0", FW_CONTAINER="docker").returncode)
        self.assertEqual(64, self.run_script("1217", "0", FW_CONTAINER="shifter").returncode, "no FW_IMAGE")
        self.assertEqual(64, self.run_script("1217", "0", FW_MPI_LAUNCHER="mpirun", FW_MPI_RANKS="3").returncode)
        unset = dict(self.env)
        del unset["FW_INPUT_DIR"]
        done = subprocess.run([os.path.join(JOB_DIR, "run_compute_fit_mpi.sh"), "1217", "0"], env=unset,
                              capture_output=True, text=True, timeout=60, check=False)
        self.assertEqual(64, done.returncode)
        self.assertIn("FW_INPUT_DIR is not set", done.stderr)

    def test_containers_get_input_output_and_scratch_mounted(self):
        bin_dir = self.path("bin")
        os.makedirs(bin_dir)
        for runtime in ("shifter", "podman-hpc", "apptainer"):
            fake = os.path.join(bin_dir, runtime)
            with open(fake, "w", encoding="utf-8") as f:
                f.write('#!/bin/sh\nprintf "%%s\\n" "$@" > "%s/%s.args"\n' % (self.dir, runtime))
            os.chmod(fake, 0o755)
        path = bin_dir + ":" + os.environ["PATH"]
        raw, out = self.path("raw"), self.path("out")
        for runtime in ("shifter", "podman-hpc", "apptainer"):
            done = self.run_script("1217", "0", FW_CONTAINER=runtime, FW_IMAGE="fribdaq/frib-buster:v4.2", PATH=path,
                                   FW_CONTAINER_OPTIONS="--extra-option")
            # The fake runtime runs nothing, so there is no output: the job must fail, not pass.
            self.assertEqual(70, done.returncode, runtime)
            args = self.read("%s.args" % runtime).splitlines()
            self.assertIn("--extra-option", args)
            self.assertIn("fribdaq/frib-buster:v4.2" if runtime != "shifter" else "--image=fribdaq/frib-buster:v4.2", args)
            self.assertIn("file:///scratch/in/run-1217-00.evt", args, "the tool sees the container's paths")
            joined = " ".join(args)
            if runtime == "shifter":
                self.assertRegex(joined, r"--volume=%s:/input;%s:/output;\S+:/scratch" % (raw, out))
            elif runtime == "podman-hpc":
                self.assertIn("-v %s:/input -v %s:/output" % (raw, out), joined)
            else:
                self.assertRegex(joined, r"--bind %s:/input,%s:/output,\S+:/scratch" % (raw, out))

    def test_convert_and_analyze_scripts_name_their_files_the_same_way(self):
        self.write("fitted/run-0042-03-fitted.evt", "fitted\n")
        done = self.run_script("42", "3", script="run_compute_convert.sh", FW_INPUT_DIR=self.path("fitted"),
                               FW_ROOT_SETUP="", FW_CONVERT_TOOL=os.path.join(STANDINS, "fake_eeconverter.sh"))
        self.assertEqual(0, done.returncode, done.stderr)
        self.assertTrue(os.path.isfile(self.path("out/run-0042-03-fitted.root")))
        self.assertTrue(os.path.isfile(self.path("logs/convert-run-0042-03-nojob-%s.log" % HOST)))

        done = self.run_script("0042", "1", script="run_compute_analyze.sh", FW_INPUT_DIR=self.path("out"),
                               FW_OUTPUT_DIR=self.path("analyzed"), FW_ANALYZE_SETUP="",
                               FW_ANALYZE_TOOL=os.path.join(STANDINS, "fake_betasort.sh"))
        self.assertEqual(0, done.returncode, done.stderr)
        self.assertEqual("sorted 0042 1\nroot\nfitted\n", self.read("analyzed/run-0042-sorted.root"))
        self.assertTrue(os.path.isfile(self.path("logs/analyze-run-0042-nojob-%s.log" % HOST)))

        self.write("bad/run-0042-00-fitted.root", "FAIL\n")
        done = self.run_script("42", "1", script="run_compute_analyze.sh", FW_INPUT_DIR=self.path("bad"),
                               FW_ANALYZE_SETUP="", FW_ANALYZE_TOOL=os.path.join(STANDINS, "fake_betasort.sh"))
        self.assertEqual(7, done.returncode)
