package org.flowwatch.notify;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one delivery says: a subject and a text for people, and the events for programs. A burst of events
 * becomes one message that lists them (at most {@link #LISTED} lines; the rest are counted).
 *
 * @param subject one line: {@code flowwatch: run1217 FAILED} or {@code flowwatch: 200 events (FAILED 200)}
 * @param text the whole message for people
 * @param events every event it covers, in order
 */
public record Message(String subject, String text, List<Event> events) {
  /** How many events a digest lists line by line; a mail or chat message of thousands helps nobody. */
  static final int LISTED = 50;

  public Message {
    events = List.copyOf(events);
  }

  /**
   * @param host this host's name, so a facility with several agents knows which one speaks
   * @param watchRoot the agent's watch directory
   * @param dropped events lost because the queue was full since the last message
   */
  static Message of(List<Event> events, String host, String watchRoot, int dropped) {
    String origin = "flowwatch on " + host + " (watching " + watchRoot + ")";
    StringBuilder text = new StringBuilder();
    String subject;
    if (events.size() == 1) {
      Event e = events.get(0);
      if (e.key() != null) {
        subject = "flowwatch: " + e.key() + " " + e.state();
        text.append(origin).append(": ").append(e.key()).append(" is ").append(e.state()).append('\n');
        text.append("Run directory: ").append(e.directory()).append('\n');
        text.append("State: ").append(e.state()).append('\n');
        if (e.runId() != null) {
          text.append("Run: ").append(e.runId()).append(" ").append(e.runUrl()).append('\n');
        }
        text.append("What happened and what to do: ").append(e.message()).append('\n');
      } else {
        subject = "flowwatch: " + headline(e);
        text.append(origin).append(": ").append(headline(e)).append('\n').append(e.message()).append('\n');
      }
    } else {
      String counts = counts(events);
      subject = "flowwatch: " + events.size() + " events (" + counts + ")";
      text.append(origin).append(": ").append(events.size()).append(" events (").append(counts).append(")\n");
      for (int i = 0; i < events.size() && i < LISTED; i++) {
        text.append("- ").append(events.get(i).line()).append('\n');
      }
      if (events.size() > LISTED) {
        text.append("... and ").append(events.size() - LISTED).append(" more; 'flowwatch status' on ").append(host)
            .append(" lists every directory and its state\n");
      }
    }
    if (dropped > 0) {
      text.append("(").append(dropped).append(" more events were not sent: the notification queue was full;")
          .append(" 'flowwatch status' has them all)\n");
    }
    return new Message(subject, text.toString(), events);
  }

  private static String headline(Event e) {
    return e.kind().equals("CREDENTIALS") ? "starts paused: credentials or consent" : "starts paused";
  }

  /** {@code FAILED 198, LOST 2}, by kind in name order. */
  private static String counts(List<Event> events) {
    Map<String, Integer> byKind = new TreeMap<>();
    for (Event e : events) {
      byKind.merge(e.kind(), 1, Integer::sum);
    }
    StringBuilder b = new StringBuilder();
    byKind.forEach((kind, n) -> b.append(b.length() == 0 ? "" : ", ").append(kind).append(' ').append(n));
    return b.toString();
  }
}
