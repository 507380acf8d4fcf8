package org.flowwatch.globus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import retrofit2.Response;

/**
 * A non-2xx answer, read once so it can be both inspected and mapped.
 *
 * @param status the HTTP status
 * @param retryAfter the Retry-After header, or null
 * @param body the error body as text (truncated), or empty
 */
public record HttpFailure(int status, String retryAfter, String body) {

  /** Error bodies are small JSON documents; anything bigger is a proxy page not worth keeping whole. */
  private static final int MAX_BODY_BYTES = 64 * 1024;

  public HttpFailure {
    body = body == null ? "" : body;
  }

  static HttpFailure of(Response<?> response) {
    return new HttpFailure(response.code(), response.headers().get("Retry-After"), read(response.errorBody()));
  }

  private static String read(ResponseBody body) {
    if (body == null) {
      return "";
    }
    try (body) {
      BufferedSource source = body.source();
      source.request(MAX_BODY_BYTES);
      Buffer buffer = source.getBuffer();
      return buffer.readString(Math.min(buffer.size(), MAX_BODY_BYTES), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      // The status alone still maps to the right exception.
      return "";
    }
  }
}
