package org.flowwatch.watch;

/** The one signal the JVM does not handle for us: SIGHUP, which asks a daemon to reload its config. */
final class Signals {
  private Signals() {}

  /**
   * Runs {@code action} on each SIGHUP (on a JVM signal thread: keep it short).
   *
   * @return false where the JVM does not let a program handle SIGHUP
   */
  @SuppressWarnings("restriction")
  static boolean onHangUp(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
      return true;
    } catch (IllegalArgumentException | NoClassDefFoundError | UnsupportedOperationException e) {
      return false;
    }
  }
}
