/**
 * The local flow engine behind the {@link org.flowwatch.globus.flows.FlowRuns} port: runs of the config's
 * flow definition executed on this machine by {@link org.flowwatch.engine.FlowInterpreter}, kept in a
 * SQLite file beside the ledger the way the Flows service keeps its runs, so the agent, {@code status},
 * {@code --wait} and {@code retry} treat them as service runs. A run interrupted by a crash resumes at the
 * state it was in, re-executing that state.
 */
package org.flowwatch.local;
