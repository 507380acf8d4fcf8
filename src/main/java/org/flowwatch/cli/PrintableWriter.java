package org.flowwatch.cli;

import java.io.PrintWriter;
import java.io.Writer;
import org.flowwatch.text.Printable;

/**
 * The CLI's stdout or stderr, made {@link Printable}: no terminal escape, carriage return or bidi
 * override reaches the terminal whatever a command prints. On stderr every print is one line (a newline
 * inside a message is escaped; only {@code println} ends a line), so a name cannot forge a message line.
 * On stdout newlines and tabs pass, because results (JSON documents, tables, help) are laid out in lines;
 * commands make the names they put in those lines {@link Printable#line} themselves.
 */
final class PrintableWriter extends PrintWriter {
  private final boolean oneLinePerPrint;

  private PrintableWriter(Writer out, boolean oneLinePerPrint) {
    super(out, true);
    this.oneLinePerPrint = oneLinePerPrint;
  }

  /** For stdout: newlines and tabs kept. */
  static PrintWriter results(Writer out) {
    return new PrintableWriter(out, false);
  }

  /** For stderr: every print one line. */
  static PrintWriter messages(Writer out) {
    return new PrintableWriter(out, true);
  }

  private String safe(String s) {
    return oneLinePerPrint ? Printable.line(s) : Printable.lines(s);
  }

  @Override
  public void write(String s, int off, int len) {
    String safe = safe(s.substring(off, off + len));
    super.write(safe, 0, safe.length()); // PrintWriter's write(String) would come back here
  }

  @Override
  public void write(char[] buf, int off, int len) {
    String s = safe(new String(buf, off, len));
    super.write(s.toCharArray(), 0, s.length());
  }

  @Override
  public void write(int c) {
    write(String.valueOf((char) c), 0, 1);
  }
}
