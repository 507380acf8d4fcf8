#!/usr/bin/env bash
# Benchmarks of the agent (issue 3): detection latency, catch-up, idle cost, burst, big directory.
# Usage: bench/run.sh [all|latency|catchup|burst|bigdir] [scratch dir, default /tmp]
# Builds the jar and the test classes, then runs org.flowwatch.bench.AgentBench, which starts the
# packaged agent as a separate process against a local fake Flows service. Takes about 5 minutes for 'all'.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p "${2:-/tmp}" # the scratch directory; the benchmark makes its own inside it
mvn -B -q package -DskipTests
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" org.flowwatch.bench.AgentBench "${1:-all}" "${2:-/tmp}"
