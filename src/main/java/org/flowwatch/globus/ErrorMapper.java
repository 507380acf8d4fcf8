package org.flowwatch.globus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import org.flowwatch.text.JsonProblems;

/**
 * Turns a failed Globus answer into a typed {@link GlobusException} whose message names the status,
 * the service's error code and debug id, and what to do. Understands the Flows error body
 * ({@code {"error": {code, detail, message}, "debug_id"}}), Auth's OAuth and {@code errors[]} bodies,
 * Transfer's top-level {@code code/message/request_id}, and every consent shape (GARE).
 */
public final class ErrorMapper {

  /** Codes that mean "log in / request this scope", whatever the status. Compared lower-case, no '_'. */
  private static final Set<String> CONSENT_CODES =
      Set.of("consentrequired", "missingscope", "dependentconsentrequired", "authorizationrequired",
          "authorizationparameters");

  private static final int MAX_TEXT = 500;

  private final ObjectMapper mapper;

  public ErrorMapper(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** What the service said, parsed as far as it follows a known shape. */
  public record ErrorBody(String code, String text, List<Problem> problems, String debugId, List<String> scopes) {

    public boolean isConsent() {
      return !scopes.isEmpty()
          || (code != null && CONSENT_CODES.contains(code.toLowerCase(Locale.ROOT).replace("_", "")));
    }
  }

  GlobusException fromResponse(String action, Authorization auth, HttpFailure failure) {
    return fromResponse(action, auth, failure, 1);
  }

  /**
   * @param attempts how many times the call was sent; above one the reason says retries ran out
   */
  GlobusException fromResponse(String action, Authorization auth, HttpFailure failure, int attempts) {
    int status = failure.status();
    ErrorBody body = parse(failure.body());
    String reason = (attempts > 1
            ? "gave up after " + attempts + " attempts; the last answer was "
            : "the service answered ")
        + describe(status, body, failure.body());
    Duration retryAfter = RetryPolicy.parseRetryAfter(failure.retryAfter());
    if (status >= 400 && status < 500 && body.isConsent()) {
      return new ConsentRequiredException(action, reason, consentScopes(body, auth.scope()), auth.mode(),
          auth.clientId(), null);
    }
    switch (status) {
      case 400:
      case 422:
        List<Problem> problems = body.problems().isEmpty() && body.text() != null
            ? List.of(new Problem("", body.text()))
            : body.problems();
        return new InvalidRequestException(action, reason, problems, invalidRemedy(body), status, body.code(), null);
      case 401:
        return new AuthenticationException(action, reason, authenticationRemedy(auth.mode()), null);
      case 403:
        return new ForbiddenException(action, reason,
            "The identity may not be allowed to do this: starting a run needs it among the flow's"
                + " flow_starters, reading a run needs it to own, monitor or manage the run."
                + " Ask the flow's administrator to add it.",
            null);
      case 404:
        return new NotFoundException(action, reason,
            "Check the id: the flow or run does not exist, or is not visible to this identity.", null);
      case 429:
        return new RateLimitedException(action, reason, retryAfter, null);
      default:
        if (status >= 400 && status < 500) {
          return new InvalidRequestException(action, reason,
              body.problems(), "Check the request; this is not a failure that goes away by itself.", null);
        }
        return new ServiceUnavailableException(action, reason,
            "Globus may be having trouble (see https://status.globus.org); try again later.",
            false, retryAfter, null);
    }
  }

  /** "HTTP 403 MISSING_SCOPE: <text> (debug_id X)", for reasons built elsewhere. */
  public String describe(HttpFailure failure) {
    return "HTTP " + describe(failure.status(), parse(failure.body()), failure.body());
  }

  /** A network failure of a repeatable call, after {@code attempts} sends. */
  ServiceUnavailableException unreachable(String action, String target, IOException e, int attempts) {
    String reason = (attempts > 1 ? "gave up after " + attempts + " attempts; the last one failed: " : "")
        + describe(target, e);
    return new ServiceUnavailableException(action, reason,
        "Check the network and the service URL; try again later.", nothingSent(e), null, e);
  }

  /** True when the request certainly never left this host, so not even a POST can have taken effect. */
  static boolean nothingSent(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
        return true;
      }
    }
    return false;
  }

  /** A network failure in words, never including headers (they carry the token). */
  static String describe(String target, IOException e) {
    if (e instanceof JsonProcessingException json) {
      return "the answer from " + target + " was not the JSON expected: " + jsonReason(json);
    }
    return "the call to " + target + " failed: " + cause(e);
  }

  /** What went wrong on the wire, in words and without Java's names for it: "the connection was reset". */
  static String cause(IOException e) {
    String text = e.getMessage() == null ? "" : e.getMessage();
    if (e instanceof JsonProcessingException json) {
      return "the answer was not the JSON expected: " + jsonReason(json);
    }
    if (e instanceof UnknownHostException) {
      return "the host " + (text.isBlank() ? "" : text.split(":")[0] + " ") + "does not resolve (check the name and DNS)";
    }
    if (e instanceof SSLException) {
      return "the TLS handshake failed (does the server speak TLS on that port? is its certificate trusted?)";
    }
    if (e instanceof ConnectException) {
      return "the connection was refused (nothing listens there, or a firewall says no)";
    }
    if (e instanceof InterruptedIOException) {
      return "it did not answer in time";
    }
    if (text.toLowerCase(Locale.ROOT).contains("reset")) {
      return "the connection was reset";
    }
    if (text.contains("unexpected end of stream") || text.toLowerCase(Locale.ROOT).contains("closed")) {
      return "the server closed the connection without answering";
    }
    return text.isBlank() ? "a network error" : "a network error (" + text + ")";
  }

  /** Why an answer could not be read: which field held the wrong kind of value, or the parser's reason. */
  private static String jsonReason(JsonProcessingException e) {
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      String field = mapping.getPath().stream()
          .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining("."));
      return "its field " + field + " holds a value of the wrong kind or size";
    }
    return JsonProblems.reasonOf(e);
  }

  public ErrorBody parse(String text) {
    JsonNode root;
    try {
      root = text == null || text.isBlank() ? null : mapper.readTree(text);
    } catch (JsonProcessingException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      return new ErrorBody(null, null, List.of(), null, List.of());
    }
    String code = null;
    String message = null;
    List<Problem> problems = new ArrayList<>();
    Set<String> scopes = new LinkedHashSet<>(ConsentScopes.declaredBy(root));
    JsonNode error = root.get("error");
    if (error != null && error.isObject()) {
      // Flows: {"error": {"code", "detail": string | [{loc, msg, type}], "message"}, "debug_id"}
      code = text(error, "code");
      JsonNode detail = error.get("detail");
      if (detail != null && detail.isArray()) {
        detail.forEach(d -> problems.add(problem(d)));
      }
      message = firstNonBlank(detail != null && detail.isTextual() ? detail.asText() : null, text(error, "message"));
      scopes.addAll(ConsentScopes.declaredBy(error));
    } else if (error != null && error.isTextual()) {
      // OAuth / Auth: {"error": "invalid_grant", "error_description", "errors": [...]}
      code = error.asText();
      message = text(root, "error_description");
    }
    JsonNode errors = root.get("errors");
    String errorsId = null;
    if (errors != null && errors.isArray()) {
      for (JsonNode each : errors) {
        scopes.addAll(ConsentScopes.declaredBy(each));
        code = firstNonBlank(code, text(each, "code"));
        message = firstNonBlank(message, text(each, "detail"), text(each, "title"));
        errorsId = firstNonBlank(errorsId, text(each, "id"));
      }
    }
    JsonNode topDetail = root.get("detail");
    if (problems.isEmpty() && topDetail != null && topDetail.isArray()) {
      // Compute (FastAPI) 422: {"detail": [{"loc": ["body", "function_name"], "msg", "type"}]}
      topDetail.forEach(d -> problems.add(problem(d)));
    }
    code = firstNonBlank(code, text(root, "code"));
    message = firstNonBlank(message, text(root, "message"), text(root, "description"), text(root, "detail"));
    String debugId = firstNonBlank(text(root, "debug_id"), text(root, "request_id"), errorsId);
    if (scopes.isEmpty() && code != null && CONSENT_CODES.contains(code.toLowerCase(Locale.ROOT).replace("_", ""))) {
      scopes.addAll(ConsentScopes.mentionedIn(message));
    }
    String summary = problems.isEmpty()
        ? message
        : problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
    return new ErrorBody(code, summary, List.copyOf(problems), debugId, List.copyOf(scopes));
  }

  private static String describe(int status, ErrorBody body, String raw) {
    StringBuilder text = new StringBuilder().append(status);
    if (body.code() != null) {
      text.append(' ').append(body.code());
    }
    String detail = body.text();
    if (detail == null && !raw.isBlank() && body.code() == null) {
      detail = raw.strip().replaceAll("\\s+", " ");
    }
    if (detail != null && !detail.isBlank()) {
      text.append(": ").append(truncate(detail));
    }
    if (body.debugId() != null) {
      text.append(" (debug_id ").append(body.debugId()).append(')');
    }
    return text.toString();
  }

  /**
   * The scopes to ask for. A named scope that is the root of the scope we requested is widened to the
   * full requested string: logging in for the bare flow scope would drop the dependencies the run needs.
   */
  private static List<String> consentScopes(ErrorBody body, String requested) {
    if (body.scopes().isEmpty()) {
      return requested == null ? List.of() : List.of(requested);
    }
    Set<String> scopes = new LinkedHashSet<>();
    for (String scope : body.scopes()) {
      scopes.add(requested != null && requested.startsWith(scope + "[") ? requested : scope);
    }
    return List.copyOf(scopes);
  }

  private static String invalidRemedy(ErrorBody body) {
    if ("FLOW_INPUT_ERROR".equals(body.code())) {
      return "Fix the flow input so that it matches the flow's input schema (check it with --dry-run).";
    }
    return "Fix what is listed and try again.";
  }

  private static String authenticationRemedy(AuthMode mode) {
    return mode == AuthMode.CLIENT
        ? "Check GLOBUS_CLIENT_ID/GLOBUS_CLIENT_SECRET: they must name a confidential client and a current secret."
        : "The saved login may have expired or been revoked; run 'flowwatch login'.";
  }

  private static Problem problem(JsonNode detail) {
    JsonNode loc = detail.get("loc");
    String where = "";
    if (loc != null && loc.isArray()) {
      List<String> parts = new ArrayList<>();
      loc.forEach(part -> parts.add(part.asText()));
      where = String.join(".", parts);
    } else if (loc != null && loc.isTextual()) {
      where = loc.asText();
    }
    String msg = firstNonBlank(
        text(detail, "msg"), text(detail, "message"), detail.isTextual() ? detail.asText() : null);
    return new Problem(where, msg == null ? detail.toString() : msg);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isValueNode() && !value.isNull() && !value.asText().isBlank() ? value.asText() : null;
  }

  private static String firstNonBlank(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  private static String truncate(String text) {
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
  }
}
