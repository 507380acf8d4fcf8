package org.flowwatch.globus.compute;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /v3/functions}. v3 requires {@code meta} with all three fields.
 *
 * @param functionName the name the endpoint looks the function up by after running the code
 * @param functionCode one packed, serialized code buffer (see {@link FunctionCode#packed()})
 * @param description shown in the web app; may be null
 * @param meta where the code came from
 * @param isPublic whether anyone may run the function (always false here)
 */
record RegisterFunctionRequest(
    String functionName, String functionCode, String description, Meta meta,
    @JsonProperty("public") boolean isPublic) {

  /**
   * @param pythonVersion the Python the function is written for
   * @param sdkVersion the SDK version whose wire format the request follows
   * @param serdeIdentifier the code strategy id without its newline ("st")
   */
  record Meta(String pythonVersion, String sdkVersion, String serdeIdentifier) {}
}
