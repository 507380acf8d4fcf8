package org.flowwatch.cli;

import org.flowwatch.globus.AuthenticationException;
import org.flowwatch.globus.ConsentRequiredException;
import org.flowwatch.globus.ForbiddenException;
import org.flowwatch.globus.InvalidRequestException;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.OutcomeUnknownException;
import org.flowwatch.globus.RateLimitedException;
import org.flowwatch.globus.ServiceUnavailableException;
import org.flowwatch.globus.auth.TokenStoreException;

/** Exit codes for failures talking to Globus. */
final class GlobusFailures {
  private GlobusFailures() {}

  static int exitCodeOf(Throwable ex) {
    if (ex instanceof TokenStoreException t && t.environmental()) {
      return ExitCode.CONFIG; // the host's set-up, as with the ledger's state directory
    }
    if (ex instanceof AuthenticationException || ex instanceof ConsentRequiredException
        || ex instanceof ForbiddenException || ex instanceof TokenStoreException) {
      return ExitCode.AUTH;
    }
    if (ex instanceof NotFoundException || ex instanceof InvalidRequestException) {
      return ExitCode.REJECTED;
    }
    if (ex instanceof ServiceUnavailableException || ex instanceof RateLimitedException
        || ex instanceof OutcomeUnknownException) {
      return ExitCode.UNAVAILABLE;
    }
    return ExitCode.INTERNAL;
  }
}
