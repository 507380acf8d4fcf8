#!/bin/bash
#SBATCH --job-name=fw-fit
#SBATCH --nodes=1
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=128
#SBATCH --time=00:30:00
#SBATCH --output=fw-fit-%j.out
# sbatch wrapper for testing run_compute_fit_mpi.sh by hand: fits one segment (MPI; FRIB sizing: a whole 128-core node).
#
#   sbatch [-A ACCOUNT -q QOS -C cpu --licenses=scratch,cfs] run_compute_fit_mpi.sl RUN SEGMENT [INPUT_DIR OUTPUT_DIR]
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
  echo "usage: sbatch run_compute_fit_mpi.sl RUN SEGMENT [INPUT_DIR OUTPUT_DIR]" >&2
  exit 64
fi
if [ $# -eq 4 ]; then
  export FW_INPUT_DIR=$3 FW_OUTPUT_DIR=$4
fi
export FW_JOB_DIR=$job_dir
exec "$job_dir/run_compute_fit_mpi.sh" "$1" "$2"
