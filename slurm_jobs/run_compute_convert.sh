#!/bin/bash
# Converts one fitted segment of one run to a ROOT file with ddastoys' eeconverter.
#
#   run_compute_convert.sh RUN SEGMENT
#
# Reads   $FW_INPUT_DIR/run-RRRR-SS-fitted.evt    (RRRR = RUN as %04d, SS = SEGMENT as %02d)
# Writes  $FW_OUTPUT_DIR/run-RRRR-SS-fitted.root
# Log     $FW_LOG_DIR/convert-run-RRRR-SS-<job id>-<node>.log
# Exit    eeconverter's exit status, or one of fw_common.sh's codes.
#
# Settings (defaults are FRIB's image):
#   FW_ROOT_SETUP     /usr/opt/root/6.24.06/bin/thisroot.sh   sourced before the tool; empty: nothing
#   FW_CONVERT_TOOL   /usr/opt/ddastoys/bin/eeconverter
# and the common FW_* settings of fw_common.sh (README.md, "Job scripts").
set -euo pipefail
here=${FW_JOB_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
# shellcheck source=fw_common.sh
. "$here/fw_common.sh"

[ $# -eq 2 ] || { echo "usage: $(basename "$0") RUN SEGMENT" >&2; exit "$FW_EX_USAGE"; }
fw_init convert "$1" "$2"

setup=${FW_ROOT_SETUP-/usr/opt/root/6.24.06/bin/thisroot.sh}
tool=${FW_CONVERT_TOOL:-/usr/opt/ddastoys/bin/eeconverter}
in="run-$FW_RUN-$FW_SEG-fitted.evt"
out="run-$FW_RUN-$FW_SEG-fitted.root"
echo "Tool:      $tool" >>"$FW_LOG"

fw_stage_in "$in"
scratch=$(fw_view scratch)
fw_run_tool "$setup" "$tool" -s "file://$scratch/in/$in" -f "$scratch/out/$out" || exit
fw_stage_out "$out"
