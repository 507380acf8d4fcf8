package org.flowwatch.globus;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The identity has not consented to (or not been granted) a scope the call needs. Carries the exact scope
 * strings, which must be requested verbatim: the brackets hold dependencies that matter.
 */
public class ConsentRequiredException extends GlobusException {
  private static final long serialVersionUID = 1L;

  private final List<String> requiredScopes;
  private final AuthMode mode;

  /**
   * @param clientId the client the tokens are issued to; named in the advice for a confidential client,
   *     whose identity is {@code <client id>@clients.auth.globus.org}; may be null
   */
  public ConsentRequiredException(
      String action, String reason, List<String> requiredScopes, AuthMode mode, String clientId, Throwable cause) {
    super(action, reason, remedy(requiredScopes, mode, clientId), cause);
    this.requiredScopes = List.copyOf(requiredScopes);
    this.mode = Objects.requireNonNull(mode, "mode");
  }

  /** The scope strings to request, exactly as Globus named them. */
  public List<String> requiredScopes() {
    return requiredScopes;
  }

  /** Whether the fix is a user login or a change to what the confidential client requests. */
  public AuthMode mode() {
    return mode;
  }

  /** The command that grants the consent in user mode, e.g. {@code flowwatch login --scope '...'}. */
  public String loginCommand() {
    return loginCommand(requiredScopes);
  }

  private static String loginCommand(List<String> scopes) {
    return "flowwatch login"
        + scopes.stream().map(s -> " --scope '" + s + "'").collect(Collectors.joining());
  }

  private static String remedy(List<String> scopes, AuthMode mode, String clientId) {
    String identity = (clientId == null ? "<client id>" : clientId) + "@clients.auth.globus.org";
    if (scopes.isEmpty()) {
      return mode == AuthMode.USER
          ? "Run 'flowwatch login' to log in again."
          : "Check that " + identity + " is allowed to use the flow and its collections.";
    }
    String quoted = scopes.stream().map(s -> "'" + s + "'").collect(Collectors.joining(" and "));
    if (mode == AuthMode.USER) {
      return "Grant it by running: " + loginCommand(scopes);
    }
    return "A confidential client cannot be asked for consent; it must request "
        + quoted
        + " itself (for a data_access scope, mark that collection data_access: true in the config), and"
        + " its identity " + identity + " must be allowed to use the flow and collections.";
  }
}
