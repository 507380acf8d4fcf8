#!/usr/bin/env bash
# Installs the Debian packages the test suite runs for real: rsync (the writer in watch tests),
# the shellcheck linter (every shell script), Slurm + munge + Open MPI and gcc (job-script tests compile
# an MPI stand-in with mpicc), python3 (the HPC-side tests), and PyYAML and Jinja2 for Debian's python3
# (the globus-compute-endpoint stand-in parses and renders endpoint configs with them, as the real one
# does), aiosmtpd for Debian's python3 (the notification tests deliver mail to a real local SMTP server),
# watchdog for it too (bench/race.py's GFTE-style trigger; bench/install-bench-deps.sh runs this script),
# and prometheus for its promtool (the /metrics test has the agent's answer checked by
# `promtool check metrics`, Prometheus's own parser and linter). Idempotent: does nothing when everything is present. Needs root (or sudo) only when something is
# missing.
set -euo pipefail

packages=(rsync shellcheck slurm-wlm munge openmpi-bin libopenmpi-dev gcc python3 prometheus)
commands=(rsync shellcheck sbatch munged mpirun mpicc gcc python3 promtool)

missing=()
for i in "${!packages[@]}"; do
  command -v "${commands[$i]}" >/dev/null 2>&1 || [ -x "/usr/sbin/${commands[$i]}" ] || missing+=("${packages[$i]}")
done
for module in yaml jinja2 aiosmtpd watchdog; do
  /usr/bin/python3 -c "import $module" >/dev/null 2>&1 || missing+=("python3-$module")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "install-test-deps: missing ${missing[*]}; run this script as root to install them" >&2
    exit 1
  fi
fi
echo "install-test-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
# Open MPI (libpmix2) must be present before slurmd first starts, or srun --mpi=pmix hangs slurmd.
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
