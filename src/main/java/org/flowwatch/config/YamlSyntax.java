package org.flowwatch.config;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * SnakeYAML's syntax errors in one sentence at one position. The parser reports two marks ("while parsing
 * a flow sequence in 'reader', line 1, column 4 ... expected ',' or ']' ... line 2, column 2"), a copy of
 * the line and a caret; a user needs the place to look and what to write there. The place is the one the
 * fix belongs to: the unclosed bracket or quote, else where the parser gave up.
 */
final class YamlSyntax {
  private static final String INVALID = ": this is not valid YAML: ";

  private YamlSyntax() {}

  static String describe(MarkedYAMLException e, String name) {
    String problem = e.getProblem() == null ? "" : e.getProblem();
    String context = e.getContext() == null ? "" : e.getContext();
    Mark where = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    Mark opened = e.getContextMark() != null ? e.getContextMark() : where;
    if (problem.contains("\\t(TAB)") || problem.contains("\t") || problem.contains("tab character")) {
      return YamlStructure.at(name, where) + INVALID + "a tab is used for indentation here; YAML indents with"
          + " spaces only";
    }
    if (context.startsWith("while parsing a flow sequence") && problem.contains("expected ',' or ']'")) {
      return YamlStructure.at(name, opened) + INVALID + "the '[' here is not closed; end the list with ']' and"
          + " separate its items with ','";
    }
    if (context.startsWith("while parsing a flow mapping") && problem.contains("expected ',' or '}'")) {
      return YamlStructure.at(name, opened) + INVALID + "the '{' here is not closed; end the mapping with '}'"
          + " and separate its entries with ','";
    }
    if (context.startsWith("while parsing a flow") && problem.contains("<stream end>")) {
      return YamlStructure.at(name, where) + INVALID + "the file ends inside a list or mapping whose '[' or '{'"
          + " is not closed";
    }
    if (context.contains("quoted scalar") && problem.contains("end of stream")) {
      return YamlStructure.at(name, opened) + INVALID + "the quote that starts here is not closed";
    }
    if (problem.startsWith("found unknown escape character")) {
      return YamlStructure.at(name, where) + INVALID + "this backslash escape is not one YAML knows; write a"
          + " backslash as \\\\ inside double quotes, or use single quotes";
    }
    if (problem.startsWith("found character") && problem.contains("cannot start any token")) {
      char c = problem.length() > "found character 'x".length() ? problem.charAt("found character '".length()) : '?';
      return YamlStructure.at(name, where) + INVALID + "a value cannot start with '" + c + "'; put the value in"
          + " quotes";
    }
    if (problem.startsWith("mapping values are not allowed")) {
      return YamlStructure.at(name, where) + INVALID + "a ': ' cannot appear in an unquoted value; put the value"
          + " in quotes, or check this line's indentation";
    }
    if (context.startsWith("while scanning a simple key") && problem.contains("could not find expected ':'")) {
      return YamlStructure.at(name, opened) + INVALID + "this line has no ':' after its key; write 'key: value'";
    }
    if (problem.startsWith("expected <block end>") || context.startsWith("while parsing a block")) {
      return YamlStructure.at(name, where) + INVALID + "this line is indented differently from the entries"
          + " before it; entries of one mapping or list start in the same column";
    }
    if (problem.contains("undefined tag handle") || context.contains("while parsing a tag")
        || context.contains("while scanning a tag")) {
      return YamlStructure.at(name, where) + INVALID + "this YAML tag (!...) is not supported; remove it";
    }
    if (context.contains("anchor") || context.contains("alias")) {
      return YamlStructure.at(name, where) + ": YAML anchors and aliases (&x, *x) are not supported; write the"
          + " value out in full where it is used";
    }
    return YamlStructure.at(name, where) + INVALID + "the parser cannot read on from here; check the quoting"
        + " and indentation of this line and the one before";
  }
}
