package org.flowwatch.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where the agent serves {@code /metrics}, {@code /healthz} and {@code /readyz} ({@code http.listen} or
 * {@code --http}). Off unless set: an agent opens no port nobody asked for.
 *
 * @param host the address to bind: a host name, an IPv4 address, or an IPv6 address without brackets
 * @param port the TCP port; 0 lets the system choose one (the agent logs which)
 */
public record HttpConfig(String host, int port) {
  public HttpConfig {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
  }

  /**
   * Reads {@code HOST:PORT} ({@code 127.0.0.1:9464}, {@code [::1]:9464}, {@code localhost:9464}).
   *
   * @throws IllegalArgumentException saying what is wrong with {@code text}, for the caller to place
   */
  public static HttpConfig parse(String text) {
    String t = text.strip();
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      throw new IllegalArgumentException("expected HOST:PORT (for example 127.0.0.1:9464 or [::1]:9464), got '"
          + text + "'");
    }
    String host = t.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("an IPv6 address needs brackets: [" + host + "]" + t.substring(colon)
          + ", got '" + text + "'");
    }
    int port;
    try {
      port = Integer.parseInt(t.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the port in '" + text + "' is not a number");
    }
    if (port < 0 || port > 65535 || host.isBlank()) {
      throw new IllegalArgumentException("expected HOST:PORT with a port from 0 to 65535, got '" + text + "'");
    }
    return new HttpConfig(host, port);
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
