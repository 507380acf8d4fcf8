package org.flowwatch.watch;

/** The watch directory given on the command line is not a directory: a usage error. */
public final class WatchDirectoryException extends RuntimeException {
  public WatchDirectoryException(String message) {
    super(message);
  }
}
