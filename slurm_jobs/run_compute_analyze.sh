#!/bin/bash
# Sorts and analyses a whole run with betasort, from the run's converted ROOT segments.
#
#   run_compute_analyze.sh RUN NSEGS
#
# Reads   $FW_INPUT_DIR/run-RRRR-*.root    (RRRR = RUN as %04d; all of them are staged)
# Writes  $FW_OUTPUT_DIR/run-RRRR-sorted.root
# Log     $FW_LOG_DIR/analyze-run-RRRR-<job id>-<node>.log
# Exit    betasort's exit status, or one of fw_common.sh's codes.
#
# betasort is called as: betasort IN/ OUT/ RRRR NSEGS (NSEGS 0 means the first segment only).
#
# Settings:
#   FW_ANALYZE_SETUP  /usr/opt/root/6.24.06/bin/thisroot.sh   sourced before the tool; empty: nothing
#   FW_ANALYZE_TOOL   betasort (from PATH in the container)  FRIB: its build on CFS, see ep_launch/frib.env
# and the common FW_* settings of fw_common.sh (README.md, "Job scripts").
set -euo pipefail
here=${FW_JOB_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
# shellcheck source=fw_common.sh
. "$here/fw_common.sh"

[ $# -eq 2 ] || { echo "usage: $(basename "$0") RUN NSEGS" >&2; exit "$FW_EX_USAGE"; }
[[ $2 =~ ^[0-9]+$ ]] || { echo "NSEGS must be a number, got '$2'" >&2; exit "$FW_EX_USAGE"; }
fw_init analyze "$1"
nsegs=$((10#$2))

setup=${FW_ANALYZE_SETUP-/usr/opt/root/6.24.06/bin/thisroot.sh}
tool=${FW_ANALYZE_TOOL:-betasort}
out="run-$FW_RUN-sorted.root"
echo "Tool:      $tool" >>"$FW_LOG"

inputs=()
for f in "$FW_INPUT_DIR"/run-"$FW_RUN"-*.root; do
  [ -f "$f" ] && inputs+=("$(basename "$f")")
done
[ ${#inputs[@]} -gt 0 ] || fw_die "$FW_EX_NOINPUT" "no run-$FW_RUN-*.root files in $FW_INPUT_DIR"
fw_stage_in "${inputs[@]}"
scratch=$(fw_view scratch)
fw_run_tool "$setup" "$tool" "$scratch/in/" "$scratch/out/" "$FW_RUN" "$nsegs" || exit
fw_stage_out "$out"
