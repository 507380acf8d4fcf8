#!/bin/sh
# Runs FRIB's whole pipeline on this machine with flowwatch's local flow engine, on the bundled run1217:
# the NERSC directories are made, the .evt segments transferred, fitted, converted and sorted through the
# real job scripts (with the tools' stand-ins), and run-1217-sorted.root brought "home" to the DTN side.
# No Globus account, no network. Both sides live under FLOWWATCH_EXAMPLE_DIR (default target/example in
# the repository, made afresh each time); build flowwatch first (mvn -B -q package -DskipTests).
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
default="$repo/target/example"
dir="${FLOWWATCH_EXAMPLE_DIR:-$default}"
case $dir in
  /*) ;;
  *) echo "run-frib-locally: FLOWWATCH_EXAMPLE_DIR must be an absolute path, got '$dir'" >&2; exit 2 ;;
esac
if [ "$dir" = "$default" ]; then
  rm -rf "$dir"
elif [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
  echo "run-frib-locally: $dir is not empty; give FLOWWATCH_EXAMPLE_DIR a new or empty directory" >&2
  exit 2
fi
mkdir -p "$dir/nersc"
cp -r "$repo/examples/sci-dtn" "$dir/"
export FLOWWATCH_EXAMPLE_DIR="$dir"
"$repo/flowwatch" --config "$repo/examples/local-engine.yaml" --state-dir "$dir/state" \
  --rundir "$dir/sci-dtn/e21062_2/rawdata/run1217"
result="$dir/sci-dtn/e21062_2/nersc_analysis/run-1217-sorted.root"
if [ ! -f "$result" ]; then
  echo "run-frib-locally: the run ended but $result is not there" >&2
  exit 1
fi
echo "the sorted result landed in $result (the FRIB side); NERSC's side of the run is in $dir/nersc"
