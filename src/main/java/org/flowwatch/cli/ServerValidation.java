package org.flowwatch.cli;

import java.io.PrintWriter;
import java.util.List;
import org.flowwatch.config.AuthConfig;
import org.flowwatch.flow.JsonDocument;
import org.flowwatch.flow.ServiceFinding;
import org.flowwatch.globus.GlobusException;
import org.flowwatch.globus.MissingCredentialsException;
import org.flowwatch.globus.flows.FlowManagementClient;
import org.flowwatch.globus.flows.FlowValidation;

/**
 * {@code --server-validate}: asks the Flows service's (beta) validator, when credentials are at hand.
 * Its verdict is shown beside ours but never decides the exit code: it has rejected valid flows, and a
 * deploy meets the same check anyway.
 *
 * @param validation what the service said
 * @param findings its objections placed in our files
 */
record ServerValidation(FlowValidation validation, List<ServiceFinding> findings) {

  /**
   * Asks the service; on missing credentials or a failed call prints a note on stderr and returns null.
   *
   * @param schema may be null
   */
  static ServerValidation ask(Terminal terminal, AuthConfig auth, JsonDocument definition, JsonDocument schema) {
    PrintWriter err = terminal.err();
    if (!definition.isWellFormed() || (schema != null && !schema.isWellFormed())) {
      err.println("note: not asking Globus to validate: the files are not valid JSON");
      return null;
    }
    try (GlobusSession globus = GlobusSession.open(terminal)) {
      FlowManagementClient flows = globus.flowManagement(terminal, auth);
      FlowValidation v = flows.validate(definition.root(), schema == null ? null : schema.root());
      return new ServerValidation(v, ServiceFinding.of(v, definition, schema));
    } catch (MissingCredentialsException e) {
      err.println("note: --server-validate needs Globus credentials, and there are none: " + e.reason() + ". "
          + e.remedy());
    } catch (GlobusException e) {
      err.println("note: could not ask Globus to validate the flow: " + e.getMessage());
    }
    return null;
  }
}
