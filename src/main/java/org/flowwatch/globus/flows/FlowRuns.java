package org.flowwatch.globus.flows;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.OutcomeUnknownException;

/**
 * Everything the agent does with the runs of its one flow. The Globus Flows service implements it
 * ({@link GlobusFlowRuns}); the local flow engine will be the second implementation. {@code watch} talks to
 * runs through this port only.
 */
public interface FlowRuns {

  /**
   * Makes sure a start could be sent now: the credentials a start needs are at hand. A failure here
   * affects every start and is thrown before any run is marked STARTING.
   */
  void authorizeStart();

  /**
   * Starts one run, at most once: the request is never repeated blindly.
   *
   * @param token put in the run's label and tags, so that a start whose answer was lost can be found
   * @throws OutcomeUnknownException when the run may exist: look it up with {@link #findByToken} first
   */
  FlowRun start(StartRun run, TriggerToken token);

  /** The run started with {@code token}, if the service has one. */
  Optional<FlowRun> findByToken(TriggerToken token);

  /** One run's current state; a run this identity cannot see is a {@link NotFoundException}. */
  FlowRun get(UUID runId);

  /** The flow's runs that are not final (ACTIVE or INACTIVE), across all pages. */
  List<FlowRun> listActive();

  /**
   * The flow's runs that ended (SUCCEEDED, FAILED, ENDED) at or after {@code since}, across all pages:
   * how the runs missing from {@link #listActive} ended, in one call however many they are.
   */
  List<FlowRun> listEndedSince(Instant since);

  /**
   * Continues an INACTIVE run after the person fixed what it waits for (consent, a session).
   *
   * @return the run as the service reports it after the request
   */
  default FlowRun resume(UUID runId) {
    throw new UnsupportedOperationException("this engine cannot resume runs by hand");
  }

  /**
   * Stops a run that is ACTIVE or INACTIVE.
   *
   * @return the run as the service reports it after the request (it may still say ACTIVE while stopping)
   */
  default FlowRun cancel(UUID runId) {
    throw new UnsupportedOperationException("this engine cannot cancel runs by hand");
  }

  /**
   * Takes up the runs this engine was executing when a process of it stopped (the agent calls it once,
   * holding its lock). The service runs its runs itself, so there it does nothing.
   *
   * @return how many runs were taken up
   */
  default int resumeInterrupted() {
    return 0;
  }

  /** Where a person sees the run: its page in the Globus web app, for the service. */
  default String pageOf(UUID runId) {
    return FlowRun.page(runId);
  }
}
