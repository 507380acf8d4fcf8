#!/bin/bash
# Stand-in for EventEditor without MPI: reads the -s file:// input, writes the -S file:// output.
# An input containing FAIL makes it fail with status 3. FAKE_SLEEP seconds of "work"; FAKE_TRACE (a
# file) gets "start"/"end" lines with times, for tests of how many run at once.
set -u
src='' dst=''
while [ $# -gt 0 ]; do
  case "$1" in
    -s) src=${2#file://}; shift 2 ;;
    -S) dst=${2#file://}; shift 2 ;;
    *) shift ;;
  esac
done
[ -n "${FAKE_TRACE:-}" ] && echo "start $(date +%s.%N) $src" >>"$FAKE_TRACE"
sleep "${FAKE_SLEEP:-0}"
echo "fitting $src"
if grep -q FAIL "$src"; then
  echo "EventEditor: bad trace in $src" >&2
  [ -n "${FAKE_TRACE:-}" ] && echo "end $(date +%s.%N) $src" >>"$FAKE_TRACE"
  exit 3
fi
{ echo "fitted"; cat "$src"; } >"$dst"
[ -n "${FAKE_TRACE:-}" ] && echo "end $(date +%s.%N) $src" >>"$FAKE_TRACE"
exit 0
