package org.flowwatch.globus.flows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.flowwatch.globus.ApiCaller;
import org.flowwatch.globus.Authorization;
import org.flowwatch.globus.ErrorMapper;
import org.flowwatch.globus.ForbiddenException;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.InvalidRequestException;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.OutcomeUnknownException;
import org.flowwatch.globus.RetryPolicy;
import org.flowwatch.globus.Sleeper;
import org.flowwatch.globus.auth.Scopes;
import org.flowwatch.globus.auth.TokenManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flows service's flow documents: create, read, update, and the service-side validate.
 *
 * <p>Reads take a Flows-service token for {@code view_flows}, writes and validation one for
 * {@code manage_flows}; both belong to resource server flows.globus.org, so a user login for the Flows
 * {@code all} scope (what {@code flowwatch login} asks for) serves both. Reads and validation change
 * nothing and are retried under the {@link RetryPolicy}; create and update are sent once, because a
 * repeated create makes a second flow.
 */
public final class FlowManagementClient {

  private static final Logger log = LoggerFactory.getLogger(FlowManagementClient.class);

  private final FlowManagementApi api;
  private final TokenManager tokens;
  private final ApiCaller caller;

  public FlowManagementClient(GlobusHttp http, TokenManager tokens) {
    this(http, tokens, RetryPolicy.DEFAULT, Sleeper.SYSTEM);
  }

  public FlowManagementClient(GlobusHttp http, TokenManager tokens, RetryPolicy policy, Sleeper sleeper) {
    this.api = http.api(http.urls().flows(), FlowManagementApi.class);
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.caller = new ApiCaller("the Flows service", new ErrorMapper(http.mapper()), policy, sleeper);
  }

  /**
   * Creates a flow. Sent once (twice only after a 401, which proves the first was refused).
   *
   * @throws IllegalArgumentException when {@code fields} lacks a title or a definition
   * @throws OutcomeUnknownException when the flow may have been created but no answer says so
   */
  public DeployedFlow create(FlowFields fields) {
    Objects.requireNonNull(fields, "fields");
    if (fields.title() == null || fields.definition() == null) {
      throw new IllegalArgumentException("a new flow needs a title and a definition");
    }
    String action = "create the flow '" + fields.title() + "'";
    FlowRequest body = FlowRequest.of(fields);
    FlowResponse created;
    try {
      created = caller.once(action, manage(), fields.title(), header -> api.createFlow(header, body));
    } catch (OutcomeUnknownException e) {
      throw new OutcomeUnknownException(action, e.reason(), fields.title(),
          "The flow may or may not have been created: look for a flow titled '" + fields.title()
              + "' at https://app.globus.org/flows/library before creating it again.", e);
    } catch (ForbiddenException e) {
      throw new ForbiddenException(action, e.reason(), "The identity may not create flows: an unsubscribed"
          + " identity may own only one flow. Delete an unused flow or use a subscription.", e);
    }
    if (created.id() == null) {
      throw new OutcomeUnknownException(action, "the service accepted the flow but its answer has no id",
          fields.title(), "Look for a flow titled '" + fields.title() + "' at https://app.globus.org/flows/library.",
          null);
    }
    log.info("Created flow {} ('{}')", created.id(), fields.title());
    return DeployedFlow.from(created);
  }

  /**
   * Reads a flow document. Retried on transient failures.
   *
   * @throws NotFoundException when the flow does not exist or this identity may not see it
   */
  /**
   * The ids of the flows this identity owns whose title is exactly {@code title}. The service's full-text
   * filter finds the candidates (it matches substrings, in other fields too); the title is compared here.
   */
  public List<UUID> ownedWithTitle(String title) {
    Objects.requireNonNull(title, "title");
    String action = "list the flows titled '" + title + "' that this identity owns";
    List<UUID> found = new ArrayList<>();
    FlowListResponse page = caller.repeatable(action, view(), header -> api.listFlows(header, "flow_owner", title));
    while (true) {
      page.flows().stream().filter(f -> title.equals(f.title()) && f.id() != null).forEach(f -> found.add(f.id()));
      if (!page.more()) {
        return found;
      }
      String marker = page.marker();
      page = caller.repeatable(action, view(), header -> api.nextFlows(header, marker));
    }
  }

  public DeployedFlow get(UUID flowId) {
    Objects.requireNonNull(flowId, "flowId");
    String action = "read flow " + flowId;
    FlowResponse flow;
    try {
      flow = caller.repeatable(action, view(), header -> api.getFlow(header, flowId));
    } catch (ForbiddenException e) {
      throw new ForbiddenException(action, e.reason(),
          "The identity may not see this flow: ask its owner to make it a flow viewer or administrator.", e);
    }
    return DeployedFlow.from(withId(flow, flowId));
  }

  /**
   * Changes the fields that are set in {@code changes} and leaves the others as they are. Sent once.
   *
   * @throws IllegalArgumentException when {@code changes} sets nothing
   * @throws OutcomeUnknownException when the update may or may not have taken effect
   */
  public DeployedFlow update(UUID flowId, FlowFields changes) {
    Objects.requireNonNull(flowId, "flowId");
    Objects.requireNonNull(changes, "changes");
    if (changes.isEmpty()) {
      throw new IllegalArgumentException("an update must change at least one field");
    }
    String action = "update " + String.join(", ", changes.names()) + " of flow " + flowId;
    FlowRequest body = FlowRequest.of(changes);
    FlowResponse updated;
    try {
      updated = caller.once(action, manage(), null, header -> api.updateFlow(header, flowId, body));
    } catch (OutcomeUnknownException e) {
      throw new OutcomeUnknownException(action, e.reason(), null, "The update may or may not have taken effect:"
          + " run the deploy again; it compares with the deployed flow and sends only what still differs.", e);
    } catch (ForbiddenException e) {
      throw new ForbiddenException(action, e.reason(),
          "Only the flow's owner and its flow_administrators may change it.", e);
    }
    log.info("Updated {} of flow {}", String.join(", ", changes.names()), flowId);
    return DeployedFlow.from(withId(updated, flowId));
  }

  /**
   * Asks the service to check a definition and input schema. Nothing is created, so the call is retried
   * like a read. A 400 or 422 is not thrown but returned as a rejection with the service's objections.
   *
   * @param inputSchema may be null
   */
  public FlowValidation validate(JsonNode definition, JsonNode inputSchema) {
    Objects.requireNonNull(definition, "definition");
    ValidateFlowRequest body = new ValidateFlowRequest(definition, inputSchema);
    try {
      ValidateFlowResponse answer = caller.repeatable("validate the flow definition with Globus", manage(),
          header -> api.validateFlow(header, body));
      return new FlowValidation(true, scopes(answer.scopes()), List.of(), "");
    } catch (InvalidRequestException e) {
      return new FlowValidation(false, Map.of(), e.problems(), e.reason());
    }
  }

  private Authorization manage() {
    return tokens.bearer(Scopes.FLOWS_RESOURCE_SERVER, Scopes.FLOWS_MANAGE_FLOWS_SCOPE);
  }

  private Authorization view() {
    return tokens.bearer(Scopes.FLOWS_RESOURCE_SERVER, Scopes.FLOWS_VIEW_FLOWS_SCOPE);
  }

  /** Some answers (a PUT in older API versions) omit the id; the one asked for is the one answered. */
  private static FlowResponse withId(FlowResponse flow, UUID flowId) {
    if (flow.id() != null) {
      return flow;
    }
    return new FlowResponse(flowId, flow.title(), flow.subtitle(), flow.description(), flow.keywords(),
        flow.definition(), flow.inputSchema(), flow.globusAuthScope(), flow.flowOwner(), flow.flowViewers(),
        flow.flowStarters(), flow.flowAdministrators(), flow.runManagers(), flow.runMonitors(), flow.userRoles(),
        flow.updatedAt());
  }

  /** {@code {"User": ["scope", ...]}}; anything of another shape is shown as its JSON text. */
  private static Map<String, List<String>> scopes(JsonNode scopes) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (scopes == null || scopes.isNull() || scopes.isMissingNode()) {
      return out;
    }
    if (!scopes.isObject()) {
      out.put("", List.of(scopes.toString()));
      return out;
    }
    scopes.properties().forEach(e -> {
      List<String> list = new ArrayList<>();
      if (e.getValue().isArray()) {
        e.getValue().forEach(s -> list.add(s.isTextual() ? s.asText() : s.toString()));
      } else {
        list.add(e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
      }
      out.put(e.getKey(), List.copyOf(list));
    });
    return out;
  }
}
