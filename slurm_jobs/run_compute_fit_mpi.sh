#!/bin/bash
# Fits the ADC traces of one segment of one run with the FRIB DAQ's EventEditor under MPI.
#
#   run_compute_fit_mpi.sh RUN SEGMENT
#
# Reads   $FW_INPUT_DIR/run-RRRR-SS.evt          (RRRR = RUN as %04d, SS = SEGMENT as %02d)
# Writes  $FW_OUTPUT_DIR/run-RRRR-SS-fitted.evt
# Log     $FW_LOG_DIR/fit-run-RRRR-SS-<job id>-<node>.log
# Exit    EventEditor's exit status (mpirun's), or one of fw_common.sh's codes.
#
# Settings (defaults are FRIB's image, fribdaq/frib-buster):
#   FW_DAQ_ROOT       /usr/opt/daq/12.0-013            the NSCLDAQ installation in the container
#   FW_DAQ_SETUP      $FW_DAQ_ROOT/daqsetup.bash       sourced before the tool; empty: source nothing
#   FW_FIT_TOOL       $FW_DAQ_ROOT/bin/EventEditor
#   FW_FIT_PLUGIN     /usr/opt/ddastoys/lib/libFitEditorAnalytic.so
#   FW_FIT_CHUNK      2000                             events per work item (-c)
#   FW_MPI_LAUNCHER   "mpirun --use-hwthread-cpus --oversubscribe"; "none" runs the tool without MPI
#   FW_MPI_NP_FLAG    -np                              how the launcher takes the rank count (srun: -n)
#   FW_MPI_RANKS      $SLURM_CPUS_PER_TASK, else 4     ranks; EventEditor uses 3 for fan-in, fan-out and
#                                                      sorting, the rest are workers, so at least 4
# and the common FW_* settings of fw_common.sh (README.md, "Job scripts").
set -euo pipefail
here=${FW_JOB_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
# shellcheck source=fw_common.sh
. "$here/fw_common.sh"

[ $# -eq 2 ] || { echo "usage: $(basename "$0") RUN SEGMENT" >&2; exit "$FW_EX_USAGE"; }
fw_init fit "$1" "$2"

daq_root=${FW_DAQ_ROOT:-/usr/opt/daq/12.0-013}
setup=${FW_DAQ_SETUP-$daq_root/daqsetup.bash}
tool=${FW_FIT_TOOL:-$daq_root/bin/EventEditor}
plugin=${FW_FIT_PLUGIN:-/usr/opt/ddastoys/lib/libFitEditorAnalytic.so}
ranks=${FW_MPI_RANKS:-${SLURM_CPUS_PER_TASK:-4}}
in="run-$FW_RUN-$FW_SEG.evt"
out="run-$FW_RUN-$FW_SEG-fitted.evt"

launcher=()
if [ "${FW_MPI_LAUNCHER:-}" != none ]; then
  read -r -a launcher <<<"${FW_MPI_LAUNCHER:-mpirun --use-hwthread-cpus --oversubscribe}"
  if ! [[ $ranks =~ ^[0-9]+$ ]] || [ "$ranks" -lt 4 ]; then
    fw_die "$FW_EX_USAGE" "FW_MPI_RANKS must be at least 4 (3 ranks do bookkeeping), got '$ranks'"
  fi
  launcher+=("${FW_MPI_NP_FLAG:--np}" "$ranks")
fi
workers=$((ranks > 3 ? ranks - 3 : 1))
{
  echo "Tool:      $tool"
  echo "Plugin:    $plugin"
  echo "Launcher:  ${launcher[*]:-none}"
  echo "Workers:   $workers"
} >>"$FW_LOG"

fw_stage_in "$in"
scratch=$(fw_view scratch)
fw_run_tool "$setup" "${launcher[@]}" "$tool" -s "file://$scratch/in/$in" -S "file://$scratch/out/$out" \
  -l "$plugin" -n "$workers" -c "${FW_FIT_CHUNK:-2000}" -p mpi || exit
fw_stage_out "$out"
