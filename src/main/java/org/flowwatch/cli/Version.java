package org.flowwatch.cli;

import picocli.CommandLine;

/** Reports the version the jar manifest carries (set by the Maven build). */
final class Version implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Version.class.getPackage().getImplementationVersion();
    return new String[] {"flowwatch " + (v == null ? "(development build)" : v)};
  }
}
