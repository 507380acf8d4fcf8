package org.flowwatch.watch;

import org.flowwatch.config.Config;
import org.flowwatch.globus.compute.ComputeClient;
import org.flowwatch.globus.flows.FlowRuns;

/**
 * The remote side of the use-cases, built per config: the runs of its flow and its Compute endpoints.
 * The CLI implements it over one Globus session; tests implement it over a stub.
 */
public interface Services {

  /**
   * The runs of the config's flow.
   *
   * @throws org.flowwatch.config.ConfigException when the config names no flow
   * @throws org.flowwatch.globus.MissingCredentialsException when there are no credentials at hand
   */
  FlowRuns flowRuns(Config config);

  /** The Compute client for the config's endpoints, or null when it names none. */
  ComputeClient compute(Config config);

  /** Abandons every call in flight, for a stop that must not wait for a service that does not answer. */
  void abandonCalls();
}
