package org.flowwatch.globus.compute;

import java.util.UUID;

/** Wire form of {@code GET /v2/functions/{id}}; only what flowwatch reads (the code is not needed). */
record FunctionResponse(UUID functionUuid, String functionName, String description) {}
