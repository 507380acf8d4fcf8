package org.flowwatch.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A parsed {@code .=} expression: the Python-like subset the Globus Flows docs describe. Parsing is done
 * once, before the run starts, so an expression outside the subset refuses the definition instead of
 * failing a run half way. The grammar, loosest binding first:
 * <pre>
 *   a if cond else b  |  or  |  and  |  not  |  == != &lt; &gt; &lt;= &gt;= in, not in (chained)
 *   + -  |  * / // %  |  unary - +  |  name.key  x[i]  f(args)  |  literals, names, (..), [..]
 * </pre>
 * See {@link ExpressionEvaluator} for what each means and for the functions.
 */
final class Expression {

  /** A node of the expression tree. */
  sealed interface Node permits Literal, Name, Attribute, Index, Call, Unary, Binary, Compare, Logical, Ternary,
      ListOf {}

  record Literal(Object value) implements Node {}

  record Name(String name) implements Node {}

  record Attribute(Node target, String name) implements Node {}

  record Index(Node target, Node index) implements Node {}

  record Call(String function, List<Node> args) implements Node {}

  record Unary(String op, Node operand) implements Node {}

  record Binary(String op, Node left, Node right) implements Node {}

  /** {@code a < b <= c}: every neighbouring pair must hold, as in Python. */
  record Compare(List<String> ops, List<Node> operands) implements Node {}

  record Logical(String op, Node left, Node right) implements Node {}

  record Ternary(Node condition, Node then, Node otherwise) implements Node {}

  record ListOf(List<Node> items) implements Node {}

  private record Token(String kind, String text, int at) {}

  private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "if", "else", "True", "False", "None");
  private static final List<String> SYMBOLS = List.of("//", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "<",
      ">", "(", ")", "[", "]", ".", ",");
  private static final Set<String> REFUSED = Set.of("lambda", "for", "import", "is", "await", "yield");

  private final String text;
  private final List<Token> tokens;
  private int pos;

  private Expression(String text) throws ExpressionException {
    this.text = text;
    this.tokens = tokenize(text);
  }

  /** Parses {@code text}; the message of a failure names the expression and what in it is not understood. */
  static Node parse(String text) throws ExpressionException {
    Expression p = new Expression(text);
    Node node = p.ternary();
    if (!p.peek().kind().equals("end")) {
      throw p.error("unexpected '" + p.peek().text() + "'");
    }
    ExpressionEvaluator.checkFunctions(node, text);
    return node;
  }

  private ExpressionException error(String what) {
    return new ExpressionException("expression \"" + text + "\": " + what + " at position " + (peek().at() + 1));
  }

  private Token peek() {
    return tokens.get(pos);
  }

  /** True when the next token is this operator or keyword (a string literal with the same text is not). */
  private boolean at(String tokenText) {
    return !peek().kind().equals("str") && peek().text().equals(tokenText);
  }

  private boolean accept(String tokenText) {
    Token t = peek();
    if (!t.kind().equals("str") && t.text().equals(tokenText)) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(String tokenText) throws ExpressionException {
    if (!accept(tokenText)) {
      throw error("expected '" + tokenText + "' but found '" + peek().text() + "'");
    }
  }

  private Node ternary() throws ExpressionException {
    Node then = or();
    if (accept("if")) {
      Node condition = or();
      expect("else");
      return new Ternary(condition, then, ternary());
    }
    return then;
  }

  private Node or() throws ExpressionException {
    Node left = and();
    while (accept("or")) {
      left = new Logical("or", left, and());
    }
    return left;
  }

  private Node and() throws ExpressionException {
    Node left = not();
    while (accept("and")) {
      left = new Logical("and", left, not());
    }
    return left;
  }

  private Node not() throws ExpressionException {
    if (accept("not")) {
      return new Unary("not", not());
    }
    return comparison();
  }

  private Node comparison() throws ExpressionException {
    Node first = additive();
    List<String> ops = new ArrayList<>();
    List<Node> operands = new ArrayList<>(List.of(first));
    while (true) {
      String op = peek().kind().equals("str") ? null : switch (peek().text()) {
        case "==", "!=", "<", ">", "<=", ">=", "in" -> peek().text();
        default -> null;
      };
      if (op != null) {
        pos++;
      } else if (at("not") && tokens.get(pos + 1).text().equals("in")) {
        pos += 2;
        op = "not in";
      } else {
        break;
      }
      ops.add(op);
      operands.add(additive());
    }
    return ops.isEmpty() ? first : new Compare(ops, operands);
  }

  private Node additive() throws ExpressionException {
    Node left = multiplicative();
    while (at("+") || at("-")) {
      String op = tokens.get(pos++).text();
      left = new Binary(op, left, multiplicative());
    }
    return left;
  }

  private Node multiplicative() throws ExpressionException {
    Node left = unary();
    while (at("*") || at("/") || at("//") || at("%")) {
      String op = tokens.get(pos++).text();
      left = new Binary(op, left, unary());
    }
    return left;
  }

  private Node unary() throws ExpressionException {
    if (accept("-")) {
      return new Unary("-", unary());
    }
    if (accept("+")) {
      return new Unary("+", unary());
    }
    return postfix();
  }

  private Node postfix() throws ExpressionException {
    Node node = primary();
    while (true) {
      if (accept(".")) {
        Token name = peek();
        if (!name.kind().equals("name")) {
          throw error("a name must follow '.'");
        }
        pos++;
        if (at("(")) {
          throw error("calling a method ('." + name.text() + "(...)') is not in the local engine's expression"
              + " subset; use the functions " + ExpressionEvaluator.FUNCTIONS);
        }
        node = new Attribute(node, name.text());
      } else if (accept("[")) {
        Node index = ternary();
        expect("]");
        node = new Index(node, index);
      } else if (at("(")) {
        if (!(node instanceof Name name)) {
          throw error("only a function named directly can be called");
        }
        pos++;
        List<Node> args = new ArrayList<>();
        if (!accept(")")) {
          do {
            args.add(ternary());
          } while (accept(","));
          expect(")");
        }
        node = new Call(name.name(), args);
      } else {
        return node;
      }
    }
  }

  private Node primary() throws ExpressionException {
    Token t = peek();
    switch (t.kind()) {
      case "num" -> {
        pos++;
        return new Literal(t.text().contains(".")
            ? (Object) Double.parseDouble(t.text()) : (Object) Long.parseLong(t.text()));
      }
      case "str" -> {
        pos++;
        return new Literal(t.text());
      }
      case "name" -> {
        pos++;
        return new Name(t.text());
      }
      default -> { }
    }
    if (accept("True")) {
      return new Literal(Boolean.TRUE);
    }
    if (accept("False")) {
      return new Literal(Boolean.FALSE);
    }
    if (accept("None")) {
      return new Literal(null);
    }
    if (accept("(")) {
      Node inner = ternary();
      expect(")");
      return inner;
    }
    if (accept("[")) {
      List<Node> items = new ArrayList<>();
      if (!accept("]")) {
        do {
          if (at("]")) {
            break;
          }
          items.add(ternary());
          if (at("for")) {
            throw error("list comprehensions are not in the local engine's expression subset");
          }
        } while (accept(","));
        expect("]");
      }
      return new ListOf(items);
    }
    if (t.kind().equals("end")) {
      throw error("the expression ends where a value must come");
    }
    throw error("'" + t.text() + "' is not in the local engine's expression subset (arithmetic, + on strings and"
        + " lists, comparisons, and/or/not, in, a if c else b, names, [index], literals and the functions "
        + ExpressionEvaluator.FUNCTIONS + ")");
  }

  private static List<Token> tokenize(String text) throws ExpressionException {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '\'' || c == '"') {
        StringBuilder s = new StringBuilder();
        int j = i + 1;
        while (j < text.length() && text.charAt(j) != c) {
          char d = text.charAt(j);
          if (d == '\\' && j + 1 < text.length()) {
            char e = text.charAt(++j);
            s.append(switch (e) {
              case 'n' -> '\n';
              case 't' -> '\t';
              default -> e;
            });
          } else {
            s.append(d);
          }
          j++;
        }
        if (j >= text.length()) {
          throw new ExpressionException("expression \"" + text + "\": the string opened at position " + (i + 1)
              + " never closes");
        }
        out.add(new Token("str", s.toString(), i));
        i = j + 1;
      } else if (Character.isDigit(c)) {
        int j = i;
        while (j < text.length() && (Character.isDigit(text.charAt(j)) || text.charAt(j) == '.'
            || text.charAt(j) == '_')) {
          j++;
        }
        out.add(new Token("num", text.substring(i, j).replace("_", ""), i));
        i = j;
      } else if (Character.isLetter(c) || c == '_') {
        int j = i;
        while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
          j++;
        }
        String word = text.substring(i, j);
        if (REFUSED.contains(word)) {
          throw new ExpressionException("expression \"" + text + "\": '" + word + "' (position " + (i + 1)
              + ") is not in the local engine's expression subset");
        }
        out.add(new Token(KEYWORDS.contains(word) ? "kw" : "name", word, i));
        i = j;
      } else {
        String symbol = null;
        for (String s : SYMBOLS) {
          if (text.startsWith(s, i)) {
            symbol = s;
            break;
          }
        }
        if (symbol == null) {
          String what = c == ':' ? "':' (slices, dicts and lambdas)" : c == '{' ? "'{' (dict literals)"
              : c == '*' ? "'**'" : "'" + c + "'";
          throw new ExpressionException("expression \"" + text + "\": " + what + " at position " + (i + 1)
              + " is not in the local engine's expression subset");
        }
        if (symbol.equals("*") && text.startsWith("**", i)) {
          throw new ExpressionException("expression \"" + text + "\": '**' at position " + (i + 1)
              + " is not in the local engine's expression subset");
        }
        out.add(new Token("sym", symbol, i));
        i += symbol.length();
      }
    }
    out.add(new Token("end", "end of expression", text.length()));
    return out;
  }
}
