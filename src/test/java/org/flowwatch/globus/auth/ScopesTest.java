package org.flowwatch.globus.auth;

import static org.flowwatch.globus.Fixtures.COLLECTION_ID;
import static org.flowwatch.globus.Fixtures.FLOW_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ScopesTest {

  private static final String FLOW_SCOPE =
      "https://auth.globus.org/scopes/0b1c2d3e-0000-4000-8000-000000000001/flow_0b1c2d3e_0000_4000_8000_000000000001_user";

  @Test
  void buildsFlowUserScopeWithUnderscoresInTheSuffix() {
    assertEquals(FLOW_SCOPE, Scopes.flowUserScope(FLOW_ID));
    assertEquals(FLOW_ID.toString(), Scopes.flowResourceServer(FLOW_ID));
  }

  @Test
  void buildsDataAccessScopeOfACollection() {
    assertEquals("https://auth.globus.org/scopes/6c54cade-bde5-45c1-bdd4-8f9a1a1a1a1a/data_access",
        Scopes.dataAccess(COLLECTION_ID));
  }

  @Test
  void writesDependenciesInBracketsSpaceSeparated() {
    assertEquals("a[b c]", Scopes.withDependencies("a", List.of("b", "c")));
    assertEquals("a", Scopes.withDependencies("a", List.of()));
  }

  @Test
  void refusesAParentThatAlreadyHasDependencies() {
    assertThrows(IllegalArgumentException.class, () -> Scopes.withDependencies("a[b]", List.of("c")));
    assertThrows(IllegalArgumentException.class, () -> Scopes.withDependencies(" ", List.of("c")));
  }

  @Test
  void flowStartScopeNestsOptionalDataAccessUnderTransfer() {
    UUID second = UUID.fromString("11111111-2222-4333-8444-555555555555");
    assertEquals(FLOW_SCOPE + "[urn:globus:auth:scope:transfer.api.globus.org:all["
            + "*https://auth.globus.org/scopes/6c54cade-bde5-45c1-bdd4-8f9a1a1a1a1a/data_access "
            + "*https://auth.globus.org/scopes/11111111-2222-4333-8444-555555555555/data_access]]",
        Scopes.flowStartScope(FLOW_SCOPE, List.of(COLLECTION_ID, second)));
  }

  @Test
  void flowStartScopeWithoutMappedCollectionsStillDependsOnTransfer() {
    assertEquals(FLOW_SCOPE + "[urn:globus:auth:scope:transfer.api.globus.org:all]",
        Scopes.flowStartScope(FLOW_SCOPE, List.of()));
  }

  @Test
  void namesServiceScopesAndResourceServers() {
    assertEquals("https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all", Scopes.FLOWS_ALL_SCOPE);
    assertEquals("https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/run_status",
        Scopes.FLOWS_RUN_STATUS_SCOPE);
    assertEquals("https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/manage_flows",
        Scopes.FLOWS_MANAGE_FLOWS_SCOPE);
    assertEquals("urn:globus:auth:scope:transfer.api.globus.org:all", Scopes.TRANSFER_SCOPE);
    assertEquals("https://auth.globus.org/scopes/facd7ccc-c5f4-42aa-916b-a0e270e2c2a9/all", Scopes.COMPUTE_SCOPE);
    assertEquals("flows.globus.org", Scopes.FLOWS_RESOURCE_SERVER);
    assertEquals("transfer.api.globus.org", Scopes.TRANSFER_RESOURCE_SERVER);
    assertEquals("funcx_service", Scopes.COMPUTE_RESOURCE_SERVER);
  }
}
