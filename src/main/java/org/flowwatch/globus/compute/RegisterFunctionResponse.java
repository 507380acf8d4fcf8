package org.flowwatch.globus.compute;

import java.util.UUID;

/** Answer to {@code POST /v3/functions}; {@code ha_warning} appears for high-assurance endpoints. */
record RegisterFunctionResponse(UUID functionUuid, String haWarning) {}
