package org.flowwatch.flow;

import java.util.List;
import java.util.Objects;
import org.flowwatch.globus.flows.DeployedFlow;

/**
 * What a deploy did, or with a dry run what it would do.
 *
 * @param outcome what happened
 * @param flow the flow as deployed now (before the change for a plan); null only for {@link Outcome#WOULD_CREATE}
 * @param changes the fields that differ(ed) from the deployed flow; empty when created or up to date
 * @param warnings things the person should know (running runs keep the old definition, new consents)
 */
public record Deployment(Outcome outcome, DeployedFlow flow, List<Change> changes, List<String> warnings) {

  public enum Outcome {
    CREATED,
    UPDATED,
    UP_TO_DATE,
    /** Dry run: a flow would be created. */
    WOULD_CREATE,
    /** Dry run: these changes would be sent. */
    WOULD_UPDATE
  }

  public Deployment {
    Objects.requireNonNull(outcome, "outcome");
    changes = List.copyOf(changes);
    warnings = List.copyOf(warnings);
  }
}
