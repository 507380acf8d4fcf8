#!/bin/bash
# Stand-in for betasort: IN/ OUT/ RUN NSEGS; writes OUT/run-RUN-sorted.root from every IN/*.root.
# Any input containing FAIL makes it fail with status 7.
set -u
in=$1 out=$2 run=$3 nsegs=$4
echo "sorting run $run ($nsegs segments) from $in"
if grep -q FAIL "$in"/*.root; then
  echo "betasort: corrupt segment" >&2
  exit 7
fi
{ echo "sorted $run $nsegs"; cat "$in"/*.root; } >"$out/run-$run-sorted.root"
