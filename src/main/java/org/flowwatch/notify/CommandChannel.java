package org.flowwatch.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.flowwatch.config.NotifyConfig;

/**
 * Runs a program (no shell) once per message, in the agent's environment less its secrets, with the message in
 * environment variables: the first event's
 * fields ({@code FLOWWATCH_EVENT}, {@code FLOWWATCH_KEY}, {@code FLOWWATCH_DIRECTORY}, {@code FLOWWATCH_STATE},
 * {@code FLOWWATCH_RUN_ID}, {@code FLOWWATCH_RUN_URL}, {@code FLOWWATCH_MESSAGE}), and for the whole message
 * {@code FLOWWATCH_COUNT}, {@code FLOWWATCH_SUBJECT}, {@code FLOWWATCH_TEXT} and {@code FLOWWATCH_EVENTS}
 * (the events as a JSON list). A non-zero exit or a run longer than the timeout is a failed delivery.
 */
final class CommandChannel implements Channel {
  /** The agent's own secrets stay with the agent: a paging script has no use for them. */
  static final Set<String> WITHHELD = Set.of("GLOBUS_CLIENT_SECRET", "FLOWWATCH_SMTP_PASSWORD");
  private static final int ERROR_TAIL = 500;

  private final NotifyConfig.Command command;
  private final Map<String, String> agentEnv;

  /** @param agentEnv the agent's environment, which the program inherits less {@link #WITHHELD} */
  CommandChannel(NotifyConfig.Command command, Map<String, String> agentEnv) {
    this.command = command;
    this.agentEnv = Map.copyOf(agentEnv);
  }

  @Override
  public String name() {
    return "command " + command.argv().get(0);
  }

  @Override
  public void send(Message message) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command.argv());
    Map<String, String> env = pb.environment();
    env.clear();
    env.putAll(agentEnv);
    WITHHELD.forEach(env::remove);
    env.putAll(variables(message));
    Path output = Files.createTempFile("flowwatch-notify", ".out"); // created 0600 on POSIX
    try {
      pb.redirectErrorStream(true).redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(
          new java.io.File("/dev/null")));
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        throw new IOException("cannot run " + command.argv().get(0) + ": " + e.getMessage()
            + "; check notify.command.argv names an executable program", e);
      }
      if (!p.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new IOException(command.argv().get(0) + " did not finish within " + command.timeout().toSeconds()
            + " s (notify.command.timeout); it was killed");
      }
      if (p.exitValue() != 0) {
        throw new IOException(command.argv().get(0) + " exited " + p.exitValue() + tail(output));
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }

  Map<String, String> variables(Message message) {
    Event first = message.events().get(0);
    Map<String, String> v = new java.util.LinkedHashMap<>();
    v.put("FLOWWATCH_EVENT", first.kind());
    v.put("FLOWWATCH_KEY", nz(first.key()));
    v.put("FLOWWATCH_DIRECTORY", nz(first.directory()));
    v.put("FLOWWATCH_STATE", nz(first.state()));
    v.put("FLOWWATCH_RUN_ID", nz(first.runId()));
    v.put("FLOWWATCH_RUN_URL", nz(first.runUrl()));
    v.put("FLOWWATCH_MESSAGE", first.message());
    v.put("FLOWWATCH_COUNT", String.valueOf(message.events().size()));
    v.put("FLOWWATCH_SUBJECT", message.subject());
    v.put("FLOWWATCH_TEXT", message.text());
    v.put("FLOWWATCH_EVENTS", MessageJson.events(message).toString());
    return v;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static String tail(Path output) throws IOException {
    String text = new String(Files.readAllBytes(output), StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      return "";
    }
    List<String> lines = text.lines().toList();
    String last = String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    return ": " + (last.length() > ERROR_TAIL ? last.substring(last.length() - ERROR_TAIL) : last);
  }
}
