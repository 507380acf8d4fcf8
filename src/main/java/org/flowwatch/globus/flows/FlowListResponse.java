package org.flowwatch.globus.flows;

import java.util.List;

/** Wire form of {@code GET /flows}: one page, and the marker for the next. */
record FlowListResponse(List<FlowResponse> flows, Boolean hasNextPage, String marker) {

  FlowListResponse {
    flows = flows == null ? List.of() : flows;
  }

  boolean more() {
    return Boolean.TRUE.equals(hasNextPage) && marker != null && !marker.isBlank();
  }
}
