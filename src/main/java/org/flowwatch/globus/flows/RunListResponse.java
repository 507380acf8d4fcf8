package org.flowwatch.globus.flows;

import java.util.List;

/** Wire form of {@code GET /runs}: one page, and the marker for the next. */
record RunListResponse(List<RunResponse> runs, Integer limit, Boolean hasNextPage, String marker) {

  RunListResponse {
    runs = runs == null ? List.of() : runs;
  }

  boolean more() {
    return Boolean.TRUE.equals(hasNextPage);
  }
}
