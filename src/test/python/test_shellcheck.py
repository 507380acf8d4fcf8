"""Every shell script in the repository is shellcheck-clean (warnings and notes included)."""

import os
import subprocess
import unittest

from hpc_testing import REPO

SKIP_DIRS = {".git", "target", "node_modules", ".idea"}


def shell_scripts():
    found = []
    for root, dirs, files in os.walk(REPO):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        for name in files:
            path = os.path.join(root, name)
            if name.endswith((".sh", ".sl")) or _has_shell_shebang(path):
                found.append(os.path.relpath(path, REPO))
    return sorted(found)


def _has_shell_shebang(path):
    try:
        with open(path, "rb") as f:
            first = f.readline(100)
    except OSError:
        return False
    return first.startswith(b"#!") and any(s in first for s in (b"/sh", b"bash", b"env sh"))


class ShellcheckTest(unittest.TestCase):
    def test_every_shell_script_is_clean(self):
        scripts = shell_scripts()
        for expected in ("flowwatch", ".ci/run", "dev/install-test-deps.sh", "slurm_jobs/fw_common.sh",
                         "slurm_jobs/run_compute_fit_mpi.sh", "slurm_jobs/run_compute_fit_mpi.sl",
                         "slurm_jobs/run_compute_convert.sh", "slurm_jobs/run_compute_analyze.sh",
                         "ep_launch/gce", "ep_launch/create.sh", "ep_launch/delete.sh", "ep_launch/monitor.sh",
                         "ep_launch/fw_ep_common.sh", "dev/slurm/start.sh", "dev/slurm/stop.sh"):
            self.assertIn(expected, scripts, "the search for scripts missed " + expected)
        done = subprocess.run(["shellcheck", "--external-sources", "--source-path=SCRIPTDIR", "--format=gcc"]
                              + scripts, cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
        self.assertEqual("", done.stdout + done.stderr, "shellcheck findings")
        self.assertEqual(0, done.returncode)
