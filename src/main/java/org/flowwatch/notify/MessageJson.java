package org.flowwatch.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A message as JSON, the same for the webhook's body and the command's {@code FLOWWATCH_EVENTS}. */
final class MessageJson {
  private MessageJson() {}

  /**
   * {@code text} (all a Slack incoming webhook reads), {@code subject}, {@code count}, {@code events}; a
   * message about one event also carries that event's fields at the top level.
   */
  static ObjectNode body(Message message) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("text", message.text());
    root.put("subject", message.subject());
    root.put("count", message.events().size());
    if (message.events().size() == 1) {
      fields(root, message.events().get(0));
    }
    root.set("events", events(message));
    return root;
  }

  static ArrayNode events(Message message) {
    ArrayNode events = JsonNodeFactory.instance.arrayNode();
    for (Event e : message.events()) {
      fields(events.addObject(), e);
    }
    return events;
  }

  private static void fields(ObjectNode n, Event e) {
    n.put("event", e.kind());
    n.put("key", e.key());
    n.put("directory", e.directory());
    n.put("state", e.state());
    n.put("run_id", e.runId());
    n.put("run_url", e.runUrl());
    n.put("message", e.message());
    n.put("at", e.at().toString());
  }
}
