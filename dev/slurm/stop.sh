#!/bin/bash
# Stops the test cluster that dev/slurm/start.sh DIR started: slurmctld, slurmd and its private munged.
# Touches only the processes named by the pid files in DIR. Safe to run when nothing is running.
#
#   dev/slurm/stop.sh DIR
set -uo pipefail

[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 64; }
[ -d "$1" ] || exit 0
dir=$(cd "$1" && pwd)
export SLURM_CONF=$dir/slurm.conf

alive() {
  [ -s "$1" ] || return 1
  local pid
  pid=$(cat "$1")
  [ -d "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null
}

if [ -s "$SLURM_CONF" ] && { alive "$dir/slurmctld.pid" || alive "$dir/slurmd.pid"; }; then
  timeout 10 scontrol shutdown >/dev/null 2>&1
  for _ in $(seq 1 100); do
    alive "$dir/slurmctld.pid" || alive "$dir/slurmd.pid" || break
    sleep 0.1
  done
fi
for f in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
  if alive "$f"; then
    kill "$(cat "$f")" 2>/dev/null
    sleep 0.5
    if alive "$f"; then kill -9 "$(cat "$f")" 2>/dev/null; fi
  fi
done
echo "slurm: stopped ($dir)"
