#!/bin/bash
#SBATCH --job-name=fw-analyze
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --mem=40G
#SBATCH --time=04:00:00
#SBATCH --output=fw-analyze-%j.out
# sbatch wrapper for testing run_compute_analyze.sh by hand: sorts a whole run (FRIB sizing: 40 GB of memory).
#
#   sbatch [-A ACCOUNT -q QOS -C cpu --licenses=scratch,cfs] run_compute_analyze.sl RUN NSEGS [INPUT_DIR OUTPUT_DIR]
#
# Site options (account, QoS, constraint, licenses) are not written here: give them on the command line
# or as SBATCH_ACCOUNT, SBATCH_QOS, SBATCH_CONSTRAINT in the environment. Command-line options also
# override the sizes above (e.g. -c 4 on a small test cluster). Without INPUT_DIR and OUTPUT_DIR the job
# uses FW_INPUT_DIR and FW_OUTPUT_DIR from the environment (sbatch passes the environment on). Submit
# from slurm_jobs/ (sbatch runs a copy of this file, so it finds the job script through the submit
# directory) or set FW_JOB_DIR. Every other FW_* setting is described in README.md, "Job scripts".
set -euo pipefail
job_dir=${FW_JOB_DIR:-${SLURM_SUBMIT_DIR:-$PWD}}
if [ $# -ne 2 ] && [ $# -ne 4 ]; then
  echo "usage: sbatch run_compute_analyze.sl RUN NSEGS [INPUT_DIR OUTPUT_DIR]" >&2
  exit 64
fi
if [ $# -eq 4 ]; then
  export FW_INPUT_DIR=$3 FW_OUTPUT_DIR=$4
fi
export FW_JOB_DIR=$job_dir
exec "$job_dir/run_compute_analyze.sh" "$1" "$2"
