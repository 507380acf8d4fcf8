package org.flowwatch.globus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Error-body shapes not produced by the Flows stubs elsewhere: Auth, Transfer/GCS, odd proxies. */
class ErrorMapperTest {

  private static final String ACTION = "do something";
  private final ErrorMapper mapper = new ErrorMapper(GlobusHttp.newMapper());
  private final Authorization user = Authorization.fixed(null, "requested-scope", AuthMode.USER, null);

  @Test
  void onlyA400FlowInputErrorIsTakenAsTheInputDocument() {
    String input = "{\"error\": {\"code\": \"FLOW_INPUT_ERROR\", \"detail\": \"'source' is a required property\"},"
        + " \"debug_id\": \"d1\"}";
    String tags = "{\"error\": {\"code\": \"UNPROCESSABLE_ENTITY\", \"detail\": [{\"loc\": [\"tags\", 0],"
        + " \"msg\": \"ensure this value has at most 64 characters\", \"type\": \"value_error\"}]},"
        + " \"debug_id\": \"d2\"}";
    InvalidRequestException bad = assertInstanceOf(InvalidRequestException.class,
        mapper.fromResponse(ACTION, user, new HttpFailure(400, null, input)));
    InvalidRequestException meta = assertInstanceOf(InvalidRequestException.class,
        mapper.fromResponse(ACTION, user, new HttpFailure(422, null, tags)));
    assertTrue(bad.isFlowInputError());
    assertEquals(false, meta.isFlowInputError());
    assertEquals(422, meta.status());
    assertEquals("UNPROCESSABLE_ENTITY", meta.code());
  }

  @Test
  void computesTopLevelDetailListBecomesCleanLocAndMessageProblems() {
    String body = "{\"detail\": [{\"loc\": [\"body\", \"function_name\"], \"msg\": \"field required\","
        + " \"type\": \"value_error.missing\"}, {\"loc\": [\"body\", \"function_code\"], \"msg\":"
        + " \"str type expected\", \"type\": \"type_error.str\"}]}";
    GlobusException e = mapper.fromResponse(ACTION, user, new HttpFailure(422, null, body));
    assertTrue(e.getMessage().contains("body.function_name: field required; body.function_code: str type expected"),
        e.getMessage());
    assertEquals(false, e.getMessage().contains("{\"loc\""), e.getMessage());
  }

  @Test
  void readsTransferConsentErrorWithTopLevelRequiredScopes() {
    String body = "{\"code\": \"ConsentRequired\", \"message\": \"Missing required data_access consent\","
        + " \"request_id\": \"aB3dE\", \"resource\": \"/operation/endpoint/COLL/ls\","
        + " \"required_scopes\": [\"urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/COLL/data_access]\"]}";
    ConsentRequiredException e = assertInstanceOf(ConsentRequiredException.class,
        mapper.fromResponse(ACTION, user, new HttpFailure(403, null, body)));
    assertEquals(List.of("urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/COLL/data_access]"),
        e.requiredScopes());
    assertTrue(e.getMessage().contains("aB3dE"), e.getMessage());
  }

  @Test
  void readsGareNestedInAnErrorsArray() {
    String body = "{\"errors\": [{\"code\": \"ConsentRequired\", \"authorization_parameters\":"
        + " {\"required_scopes\": [\"https://auth.globus.org/scopes/X/all\"], \"session_message\": \"m\"}}]}";
    ConsentRequiredException e = assertInstanceOf(ConsentRequiredException.class,
        mapper.fromResponse(ACTION, user, new HttpFailure(403, null, body)));
    assertEquals(List.of("https://auth.globus.org/scopes/X/all"), e.requiredScopes());
  }

  @Test
  void consentCodeWithoutScopesFallsBackToTheRequestedScope() {
    String body = "{\"code\": \"AuthorizationRequired\", \"message\": \"session too old\"}";
    ConsentRequiredException e = assertInstanceOf(ConsentRequiredException.class,
        mapper.fromResponse(ACTION, user, new HttpFailure(401, null, body)));
    assertEquals(List.of("requested-scope"), e.requiredScopes());
  }

  @Test
  void findsBracketedScopesInsideText() {
    assertEquals(List.of("https://auth.globus.org/scopes/F/flow_F_user[urn:x:all[*https://auth.globus.org/scopes/C/data_access]]"),
        ConsentScopes.mentionedIn("This action requires the following scope: "
            + "https://auth.globus.org/scopes/F/flow_F_user[urn:x:all[*https://auth.globus.org/scopes/C/data_access]]."));
    assertEquals(List.of("urn:globus:auth:scope:transfer.api.globus.org:all"),
        ConsentScopes.mentionedIn("needs 'urn:globus:auth:scope:transfer.api.globus.org:all', please"));
  }

  @Test
  void nonJsonBodyIsQuotedShortly() {
    GlobusException e = mapper.fromResponse(ACTION, user, new HttpFailure(502, null, "<html>\n<body>Bad Gateway</body></html>"));
    ServiceUnavailableException unavailable = assertInstanceOf(ServiceUnavailableException.class, e);
    assertTrue(e.getMessage().startsWith("Tried to do something but failed because: the service answered 502: <html> <body>Bad Gateway"),
        e.getMessage());
    assertTrue(unavailable.retryAfter().isEmpty());
  }

  @Test
  void unavailableCarriesRetryAfter() {
    ServiceUnavailableException e = assertInstanceOf(ServiceUnavailableException.class,
        mapper.fromResponse(ACTION, user, new HttpFailure(503, "12", "")));
    assertEquals(Duration.ofSeconds(12), e.retryAfter().orElseThrow());
  }

  @Test
  void otherClientErrorsAreInvalidRequests() {
    String body = "{\"error\": {\"code\": \"CONFLICT\", \"detail\": \"run is still active\"}}";
    InvalidRequestException e = assertInstanceOf(InvalidRequestException.class,
        mapper.fromResponse(ACTION, user, new HttpFailure(409, null, body)));
    assertTrue(e.getMessage().contains("409 CONFLICT: run is still active"), e.getMessage());
  }
}
