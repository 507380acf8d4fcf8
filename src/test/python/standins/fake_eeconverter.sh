#!/bin/bash
# Stand-in for eeconverter: -s file://IN -f OUT. An input containing FAIL makes it fail with status 5.
set -u
src='' dst=''
while [ $# -gt 0 ]; do
  case "$1" in
    -s) src=${2#file://}; shift 2 ;;
    -f) dst=$2; shift 2 ;;
    *) shift ;;
  esac
done
echo "converting $src"
if grep -q FAIL "$src"; then
  echo "eeconverter: cannot convert $src" >&2
  exit 5
fi
{ echo "root"; cat "$src"; } >"$dst"
