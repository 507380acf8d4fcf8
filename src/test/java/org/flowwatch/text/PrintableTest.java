package org.flowwatch.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The one escaper every output path uses. */
class PrintableTest {
  @Test
  void escapesNewlineCarriageReturnTabAndEscapeOnOneLine() {
    assertEquals("run1\\nINFO fake\\r\\tx\\x1b[31m", Printable.line("run1\nINFO fake\r\tx\u001b[31m"));
  }

  @Test
  void escapesDelC1BidiOverridesAndLineSeparatorsAsUnicodeEscapes() {
    assertEquals("a\\u007fb\\u0085c\\u202ed\\u2066e\\u2028f", Printable.line("a\u007fb\u0085c\u202ed\u2066e\u2028f"));
  }

  @Test
  void keepsNewlinesAndTabsInLinesModeButEscapesTheRest() {
    assertEquals("a\n\tb\\r\\x1bc\\u202e", Printable.lines("a\n\tb\r\u001bc\u202e"));
  }

  @Test
  void leavesOrdinaryTextBackslashesAndOtherUnicodeAlone() {
    String plain = "run1217 \u00b7 fw-3f9a2c1b C:\\path 'run(?<n>\\d+)' \u00e9\u4e2d";
    assertSame(plain, Printable.line(plain));
  }
}
