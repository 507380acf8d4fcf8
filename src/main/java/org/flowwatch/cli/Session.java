package org.flowwatch.cli;

import org.flowwatch.watch.Services;

/** The services of one command, closed when it ends: Globus's ({@link GlobusSession}) or the local engine's. */
interface Session extends Services, AutoCloseable {
  @Override
  void close();
}
