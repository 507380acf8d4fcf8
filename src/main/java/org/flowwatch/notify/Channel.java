package org.flowwatch.notify;

import java.io.IOException;

/** One way of delivering a message. A channel sends once; the {@link Notifier} retries. */
interface Channel {

  /** How the logs name it: never a secret (a webhook's path, a password). */
  String name();

  /** Delivers the message or throws saying why not. */
  void send(Message message) throws IOException, InterruptedException;
}
