package org.flowwatch.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The flow flowwatch starts.
 *
 * @param id the deployed flow's id; null until the flow is deployed
 * @param definition the flow definition file (absolute), or null
 * @param schema the flow's input schema file (absolute)
 * @param title the flow title (used by deploy-flow)
 * @param label run label template, e.g. {@code "FRIB-NERSC Analysis Pipeline Run {run.number}"}
 * @param tags run tag templates
 * @param runMonitors principal URNs allowed to see runs
 * @param runManagers principal URNs allowed to manage runs
 * @param scope the flow's own scope string, when it must not be derived from the id
 * @param subtitle flow subtitle (deploy-flow), or null
 * @param description flow description (deploy-flow), or null
 * @param keywords flow keywords (deploy-flow)
 * @param flowViewers principals that may see the flow ({@code public} allowed)
 * @param flowStarters principals that may start it ({@code all_authenticated_users} allowed)
 * @param flowAdministrators principals that may change it
 * @param notificationPolicy the run statuses Globus itself e-mails the run's owner about (sent on every start
 *     as {@code activity_notification_policy.status}); null leaves the service's default ({@code INACTIVE})
 */
public record FlowConfig(
    UUID id,
    Path definition,
    Path schema,
    String title,
    String label,
    List<String> tags,
    List<String> runMonitors,
    List<String> runManagers,
    String scope,
    String subtitle,
    String description,
    List<String> keywords,
    List<String> flowViewers,
    List<String> flowStarters,
    List<String> flowAdministrators,
    List<String> notificationPolicy) {

  /** The statuses {@code activity_notification_policy.status} may name. */
  public static final java.util.Set<String> NOTIFICATION_STATUSES = java.util.Set.of("INACTIVE", "FAILED",
      "SUCCEEDED");

  public FlowConfig {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(label, "label");
    tags = List.copyOf(tags == null ? List.of() : tags);
    runMonitors = List.copyOf(runMonitors == null ? List.of() : runMonitors);
    runManagers = List.copyOf(runManagers == null ? List.of() : runManagers);
    keywords = List.copyOf(keywords == null ? List.of() : keywords);
    flowViewers = List.copyOf(flowViewers == null ? List.of() : flowViewers);
    flowStarters = List.copyOf(flowStarters == null ? List.of() : flowStarters);
    flowAdministrators = List.copyOf(flowAdministrators == null ? List.of() : flowAdministrators);
    notificationPolicy = notificationPolicy == null ? null : List.copyOf(notificationPolicy);
  }

  /** A flow without a notification policy (the service's default applies). */
  public FlowConfig(UUID id, Path definition, Path schema, String title, String label, List<String> tags,
      List<String> runMonitors, List<String> runManagers, String scope, String subtitle, String description,
      List<String> keywords, List<String> flowViewers, List<String> flowStarters, List<String> flowAdministrators) {
    this(id, definition, schema, title, label, tags, runMonitors, runManagers, scope, subtitle, description, keywords,
        flowViewers, flowStarters, flowAdministrators, null);
  }

  /** A flow known only by its run settings (no deploy metadata). */
  public FlowConfig(UUID id, Path definition, Path schema, String title, String label, List<String> tags,
      List<String> runMonitors, List<String> runManagers, String scope) {
    this(id, definition, schema, title, label, tags, runMonitors, runManagers, scope, null, null, null, null, null,
        null, null);
  }
}
