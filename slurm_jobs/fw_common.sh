# shellcheck shell=bash
# Shared by the run_compute_*.sh job scripts; sourced, never run. Everything the scripts need from the
# site comes from FW_* environment variables (README.md, "Job scripts"), so another facility sets
# variables instead of editing code.
#
# The contract of every job script:
#   - input files are read from $FW_INPUT_DIR (the container sees it as /input), results are written to
#     $FW_OUTPUT_DIR (/output), after staging through node-local scratch ($FW_SCRATCH, /scratch);
#   - the script's own log is $FW_LOG_DIR/<stage>-run-RRRR[-SS]-<job id>-<node>.log, and the first line
#     the script prints is "fw: log <that path>";
#   - the exit status is the tool's exit status; 64 bad usage or settings, 66 input missing, 70 the tool
#     said it succeeded but wrote no output, 74 staging failed.

FW_EX_USAGE=64
FW_EX_NOINPUT=66
FW_EX_NOOUTPUT=70
FW_EX_IOERR=74

fw_die() { # status message...
  local status=$1
  shift
  fw_say "error: $*"
  exit "$status"
}

fw_say() {
  local line
  line="fw: $(date '+%Y-%m-%dT%H:%M:%S') $*"
  echo "$line" >&2
  if [ -n "${FW_LOG:-}" ]; then
    echo "$line" >>"$FW_LOG"
  fi
}

# fw_pad WIDTH VALUE: zero-pads a decimal number (leading zeros in VALUE are not octal).
fw_pad() {
  local width=$1 value=$2
  [[ $value =~ ^[0-9]+$ ]] || fw_die "$FW_EX_USAGE" "expected a number, got '$value'"
  printf "%0${width}d" "$((10#$value))"
}

# fw_init STAGE RUN [SEGMENT]: checks the settings, names the log, prepares scratch and the cleanup trap.
# Sets FW_RUN (%04d), FW_SEG (%02d, when a segment is given), FW_LOG, FW_STAGE_DIR.
fw_init() {
  local stage=$1 run=$2 segment=${3:-}
  FW_RUN=$(fw_pad 4 "$run") || exit
  FW_SEG=
  if [ -n "$segment" ]; then
    FW_SEG=$(fw_pad 2 "$segment") || exit
  fi
  [ -n "${FW_INPUT_DIR:-}" ] || fw_die "$FW_EX_USAGE" "FW_INPUT_DIR is not set (the directory holding the input files)"
  [ -n "${FW_OUTPUT_DIR:-}" ] || fw_die "$FW_EX_USAGE" "FW_OUTPUT_DIR is not set (the directory for the results)"
  [ -d "$FW_INPUT_DIR" ] || fw_die "$FW_EX_NOINPUT" "input directory $FW_INPUT_DIR does not exist"
  mkdir -p "$FW_OUTPUT_DIR" || fw_die "$FW_EX_IOERR" "cannot create output directory $FW_OUTPUT_DIR"
  case "${FW_CONTAINER:=none}" in
    none) ;;
    shifter | podman-hpc | apptainer)
      [ -n "${FW_IMAGE:-}" ] || fw_die "$FW_EX_USAGE" "FW_CONTAINER=$FW_CONTAINER needs FW_IMAGE (the container image)" ;;
    *) fw_die "$FW_EX_USAGE" "FW_CONTAINER must be shifter, podman-hpc, apptainer or none, got '$FW_CONTAINER'" ;;
  esac

  local job=${SLURM_JOB_ID:-nojob} node
  node=${SLURMD_NODENAME:-$(hostname -s)}
  local name="${stage}-run-${FW_RUN}${FW_SEG:+-$FW_SEG}-${job}-${node}"
  local logdir=${FW_LOG_DIR:-$HOME/flowwatch/logs}
  mkdir -p "$logdir" || fw_die "$FW_EX_IOERR" "cannot create log directory $logdir"
  FW_LOG="$logdir/$name.log"
  : >"$FW_LOG" || fw_die "$FW_EX_IOERR" "cannot write log $FW_LOG"
  echo "fw: log $FW_LOG"

  FW_STAGE_DIR="${FW_SCRATCH:-${TMPDIR:-/tmp}}/fw-$name-$$"
  mkdir -p "$FW_STAGE_DIR/in" "$FW_STAGE_DIR/out" || fw_die "$FW_EX_IOERR" "cannot create scratch $FW_STAGE_DIR"
  trap fw_cleanup EXIT

  {
    echo "Stage:     $stage"
    echo "Run:       $FW_RUN"
    [ -z "$FW_SEG" ] || echo "Segment:   $FW_SEG"
    echo "JobID:     $job"
    echo "Node:      $node"
    echo "Time:      $(date '+%Y-%m-%dT%H:%M:%S%z')"
    echo "Input:     $FW_INPUT_DIR"
    echo "Output:    $FW_OUTPUT_DIR"
    echo "Scratch:   $FW_STAGE_DIR"
    echo "Container: $FW_CONTAINER${FW_IMAGE:+ ($FW_IMAGE)}"
  } >>"$FW_LOG"
}

fw_cleanup() {
  local status=$?
  if [ -n "${FW_STAGE_DIR:-}" ] && [ -d "$FW_STAGE_DIR" ]; then
    rm -rf "$FW_STAGE_DIR"
  fi
  fw_say "exit $status"
  exit "$status"
}

# fw_stage_in FILE...: copies input files (names relative to FW_INPUT_DIR) to node-local scratch.
fw_stage_in() {
  local f
  for f in "$@"; do
    [ -f "$FW_INPUT_DIR/$f" ] || fw_die "$FW_EX_NOINPUT" "input file $FW_INPUT_DIR/$f does not exist"
    cp "$FW_INPUT_DIR/$f" "$FW_STAGE_DIR/in/" || fw_die "$FW_EX_IOERR" "cannot stage $f into $FW_STAGE_DIR/in"
  done
  fw_say "staged in: $*"
}

# fw_stage_out FILE: moves a result from scratch to FW_OUTPUT_DIR, through a temporary name so a reader
# never sees half a file.
fw_stage_out() {
  local f=$1
  [ -s "$FW_STAGE_DIR/out/$f" ] || fw_die "$FW_EX_NOOUTPUT" "the tool exited 0 but wrote no $f"
  if ! { cp "$FW_STAGE_DIR/out/$f" "$FW_OUTPUT_DIR/.$f.partial" && mv -f "$FW_OUTPUT_DIR/.$f.partial" "$FW_OUTPUT_DIR/$f"; }; then
    fw_die "$FW_EX_IOERR" "cannot move $f to $FW_OUTPUT_DIR"
  fi
  fw_say "staged out: $FW_OUTPUT_DIR/$f"
}

# fw_view DIR: how the tool sees in, out or scratch: the host path, or the container's mount point.
fw_view() {
  if [ "$FW_CONTAINER" = none ]; then
    case "$1" in
      input) echo "$FW_INPUT_DIR" ;;
      output) echo "$FW_OUTPUT_DIR" ;;
      scratch) echo "$FW_STAGE_DIR" ;;
    esac
  else
    echo "/$1"
  fi
}

# fw_run_tool SETUP COMMAND...: runs COMMAND in the container (after sourcing SETUP there, when not empty),
# appending its output to the log. Returns the command's exit status.
fw_run_tool() {
  local setup=$1
  shift
  # shellcheck disable=SC2016 # expanded by the inner shell, inside the container
  local inner='if [ -n "$1" ]; then . "$1" || exit 64; fi
if [ -n "${MPI_ROOT:-}" ]; then PATH=$MPI_ROOT/bin:$PATH; LD_LIBRARY_PATH=$MPI_ROOT/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}; export PATH LD_LIBRARY_PATH; fi
shift; exec "$@"'
  local -a opts prefix=()
  read -r -a opts <<<"${FW_CONTAINER_OPTIONS:-}"
  case "$FW_CONTAINER" in
    shifter)
      prefix=(shifter --image="$FW_IMAGE" "${opts[@]}"
        --volume="$FW_INPUT_DIR:/input;$FW_OUTPUT_DIR:/output;$FW_STAGE_DIR:/scratch" --) ;;
    podman-hpc)
      prefix=(podman-hpc run --rm "${opts[@]}" -v "$FW_INPUT_DIR:/input" -v "$FW_OUTPUT_DIR:/output"
        -v "$FW_STAGE_DIR:/scratch" -w /scratch "$FW_IMAGE") ;;
    apptainer)
      prefix=(apptainer exec "${opts[@]}" --bind "$FW_INPUT_DIR:/input,$FW_OUTPUT_DIR:/output,$FW_STAGE_DIR:/scratch"
        "$FW_IMAGE") ;;
  esac
  {
    echo "Setup:     ${setup:-(none)}"
    echo "Command:   ${prefix[*]}${prefix[*]:+ }$*"
    echo "---- tool output ----"
  } >>"$FW_LOG"
  local status=0
  "${prefix[@]}" bash -c "$inner" fw-tool "$setup" "$@" >>"$FW_LOG" 2>&1 || status=$?
  echo "---- tool exit status $status ----" >>"$FW_LOG"
  fw_say "tool exited with $status"
  return "$status"
}
