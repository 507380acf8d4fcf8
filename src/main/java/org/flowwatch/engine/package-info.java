/**
 * The local flow engine: runs a Globus Flows definition on this machine.
 *
 * <p>{@link org.flowwatch.engine.FlowInterpreter} takes the definition, the {@link
 * org.flowwatch.engine.ActionProvider}s and the collection map, and refuses what cannot run
 * ({@link org.flowwatch.engine.DefinitionRefusedException}). {@code run(input, context, listener)} runs from
 * {@code StartAt}; {@code resume(checkpoint, context, listener)} runs again from a saved {@link
 * org.flowwatch.engine.Checkpoint}. A {@link org.flowwatch.engine.RunListener} hears each state start (with
 * the checkpoint to save), finish, get caught or fail; the {@link org.flowwatch.engine.RunResult} says how
 * the run ended and gives the service-shaped run record.
 *
 * <p>{@link org.flowwatch.engine.LocalEngine} builds interpreters from a config: both local providers
 * ({@code transfer.LocalTransferProvider}, {@code compute.LocalComputeProvider}) and where each collection's
 * files are, as {@link org.flowwatch.engine.LocalCollection}s (a local directory and the Globus path it
 * holds), from {@code --root}, {@code local_engine.roots} and the collections' {@code local_root}.
 *
 * <p>May use {@code config} and {@code flow} (design.md); nothing here knows the Globus services.
 */
package org.flowwatch.engine;
