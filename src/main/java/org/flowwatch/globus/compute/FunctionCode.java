package org.flowwatch.globus.compute;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Python function as Globus Compute's source-text strategy ({@code st}) carries it: the whole source
 * file and the name of the function in it. The endpoint runs the source in a fresh namespace and takes the
 * object of that name, so the file must define it at top level and bring its helpers with it.
 *
 * @param name the top-level function's name
 * @param source the complete source text, exactly as in the file
 */
public record FunctionCode(String name, String source) {
  /** The strategy id, without the newline that ends it in a buffer. */
  public static final String SERDE_IDENTIFIER = "st";

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public FunctionCode {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a Python function name: '" + name + "'");
    }
  }

  /** True when the source defines {@code def NAME(} at top level (what the endpoint will look up). */
  public boolean definesFunction() {
    return Pattern.compile("(?m)^(async\\s+)?def\\s+" + Pattern.quote(name) + "\\s*\\(").matcher(source).find();
  }

  /** The serialized buffer: {@code st\nNAME:SOURCE}. The name comes first because the split is on the first ':'. */
  public String buffer() {
    return SERDE_IDENTIFIER + "\n" + name + ":" + source;
  }

  /**
   * {@code function_code} as the service takes it: one packed buffer, {@code <length>\n<buffer>}, where the
   * length is Python's {@code len()} of the buffer, i.e. Unicode code points (not bytes, not UTF-16 units).
   */
  public String packed() {
    String buffer = buffer();
    return buffer.codePointCount(0, buffer.length()) + "\n" + buffer;
  }

  /** SHA-256 of the source text (UTF-8), hex: what "the source changed" means for re-registration. */
  public String sourceSha256() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
