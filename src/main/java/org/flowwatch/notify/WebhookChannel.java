package org.flowwatch.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * POSTs the message as JSON ({@link MessageJson}): its {@code text} is all a Slack or Mattermost incoming
 * webhook needs; the other fields are for programs. Any 2xx answer is a delivery.
 */
final class WebhookChannel implements Channel {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final URI url;
  private final HttpClient http;

  WebhookChannel(URI url) {
    this.url = url;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public String name() {
    // Slack's webhook URLs carry their secret in the path: only the scheme and host are ever logged.
    return "webhook " + url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
  }

  @Override
  public void send(Message message) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT)
        .header("Content-Type", "application/json; charset=utf-8")
        .header("User-Agent", "flowwatch")
        .POST(HttpRequest.BodyPublishers.ofString(MessageJson.body(message).toString(), StandardCharsets.UTF_8)).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      String answer = response.body() == null ? "" : response.body().strip();
      throw new IOException("the receiver answered HTTP " + response.statusCode()
          + (answer.isEmpty() ? "" : ": " + (answer.length() > 200 ? answer.substring(0, 200) + "…" : answer)));
    }
  }
}
