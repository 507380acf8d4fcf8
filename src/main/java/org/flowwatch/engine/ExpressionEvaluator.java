package org.flowwatch.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import org.flowwatch.engine.Expression.Attribute;
import org.flowwatch.engine.Expression.Binary;
import org.flowwatch.engine.Expression.Call;
import org.flowwatch.engine.Expression.Compare;
import org.flowwatch.engine.Expression.Index;
import org.flowwatch.engine.Expression.ListOf;
import org.flowwatch.engine.Expression.Literal;
import org.flowwatch.engine.Expression.Logical;
import org.flowwatch.engine.Expression.Name;
import org.flowwatch.engine.Expression.Node;
import org.flowwatch.engine.Expression.Ternary;
import org.flowwatch.engine.Expression.Unary;

/**
 * Evaluates a parsed {@link Expression} against a state's input, with Python's meaning for each operator
 * (Globus evaluates expressions with a Python evaluator): {@code /} always gives a float, {@code //} and
 * {@code %} round toward negative infinity, {@code 1 == 1.0}, {@code +} joins strings and lists, {@code and}
 * and {@code or} return one of their operands, and truthiness is Python's. Bare names and dotted names
 * ({@code source.path}, {@code _context.run_id}) resolve against the input; a name that is not there fails
 * the run, naming it.
 *
 * <p>Functions: {@code str(x)}, {@code int(x)}, {@code float(x)}, {@code len(x)} (the evaluator's built-ins
 * the docs name), and the Flows helpers {@code pathsplit(p)} ({@code [head, tail]} of a path with trailing
 * slashes dropped), {@code is_present('a.b')} (whether the dotted name resolves) and
 * {@code getattr('a.b', default)} (its value, or the default when it does not). The evaluator's
 * {@code rand}/{@code randint} are left out on purpose: a local run should repeat.
 */
final class ExpressionEvaluator {
  static final List<String> FUNCTIONS = List.of("str", "int", "float", "len", "pathsplit", "is_present", "getattr");
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final JsonNode scope;
  private final String text;

  private ExpressionEvaluator(JsonNode scope, String text) {
    this.scope = scope;
    this.text = text;
  }

  /** Evaluates {@code text} (already checked by {@link Expression#parse}) against {@code scope}. */
  static JsonNode evaluate(String text, JsonNode scope) throws StateFailure {
    Node node;
    try {
      node = Expression.parse(text);
    } catch (ExpressionException e) {
      throw StateFailure.runtime(e.getMessage());
    }
    return new ExpressionEvaluator(scope, text).eval(node);
  }

  /** Refuses a call to anything but {@link #FUNCTIONS}, naming it. */
  static void checkFunctions(Node node, String text) throws ExpressionException {
    if (node instanceof Call c && !FUNCTIONS.contains(c.function())) {
      throw new ExpressionException("expression \"" + text + "\": the function '" + c.function() + "' is not"
          + " one the local engine knows; it knows " + String.join(", ", FUNCTIONS));
    }
    for (Node child : children(node)) {
      checkFunctions(child, text);
    }
  }

  private static List<Node> children(Node node) {
    if (node instanceof Call c) {
      return c.args();
    } else if (node instanceof Attribute a) {
      return List.of(a.target());
    } else if (node instanceof Index i) {
      return List.of(i.target(), i.index());
    } else if (node instanceof Unary u) {
      return List.of(u.operand());
    } else if (node instanceof Binary b) {
      return List.of(b.left(), b.right());
    } else if (node instanceof Logical l) {
      return List.of(l.left(), l.right());
    } else if (node instanceof Compare c) {
      return c.operands();
    } else if (node instanceof Ternary t) {
      return List.of(t.condition(), t.then(), t.otherwise());
    } else if (node instanceof ListOf l) {
      return l.items();
    }
    return List.of();
  }

  private StateFailure fail(String what) {
    return StateFailure.runtime("expression \"" + text + "\": " + what);
  }

  private JsonNode eval(Node node) throws StateFailure {
    if (node instanceof Literal l) {
      return literal(l.value());
    } else if (node instanceof Name n) {
      JsonNode v = scope.get(n.name());
      if (v == null) {
        throw fail("the name '" + n.name() + "' is not in the state (write strings in quotes: '" + n.name() + "')");
      }
      return v;
    } else if (node instanceof Attribute a) {
      JsonNode target = eval(a.target());
      JsonNode v = target.isObject() ? target.get(a.name()) : null;
      if (v == null) {
        throw fail("." + a.name() + " is not in " + Paths.kind(target));
      }
      return v;
    } else if (node instanceof Index i) {
      return index(eval(i.target()), eval(i.index()));
    } else if (node instanceof Call c) {
      return call(c);
    } else if (node instanceof Unary u) {
      return unary(u.op(), u.operand());
    } else if (node instanceof Binary b) {
      return PyOps.arithmetic(b.op(), eval(b.left()), eval(b.right()), this::fail);
    } else if (node instanceof Compare c) {
      JsonNode left = eval(c.operands().get(0));
      for (int k = 0; k < c.ops().size(); k++) {
        JsonNode right = eval(c.operands().get(k + 1));
        if (!PyOps.compare(c.ops().get(k), left, right, this::fail)) {
          return F.booleanNode(false);
        }
        left = right;
      }
      return F.booleanNode(true);
    } else if (node instanceof Logical l) {
      JsonNode left = eval(l.left());
      boolean truth = PyOps.truthy(left);
      return l.op().equals("and") ? (truth ? eval(l.right()) : left) : (truth ? left : eval(l.right()));
    } else if (node instanceof Ternary t) {
      return PyOps.truthy(eval(t.condition())) ? eval(t.then()) : eval(t.otherwise());
    }
    ArrayNode out = F.arrayNode();
    for (Node item : ((ListOf) node).items()) {
      out.add(eval(item));
    }
    return out;
  }

  private static JsonNode literal(Object value) {
    if (value == null) {
      return F.nullNode();
    }
    if (value instanceof Long n) {
      return PyOps.integer(n);
    }
    if (value instanceof Double d) {
      return F.numberNode(d);
    }
    if (value instanceof Boolean b) {
      return F.booleanNode(b);
    }
    return F.textNode((String) value);
  }

  private JsonNode unary(String op, Node operand) throws StateFailure {
    JsonNode v = eval(operand);
    if (op.equals("not")) {
      return F.booleanNode(!PyOps.truthy(v));
    }
    if (!v.isNumber()) {
      throw fail("unary '" + op + "' needs a number, not " + Paths.kind(v));
    }
    if (op.equals("+")) {
      return v;
    }
    return v.isIntegralNumber() ? PyOps.integer(-v.longValue()) : F.numberNode(-v.doubleValue());
  }

  private JsonNode index(JsonNode target, JsonNode key) throws StateFailure {
    if (target.isArray() || target.isTextual()) {
      if (!key.isIntegralNumber()) {
        throw fail("a list or string index must be an integer, not " + Paths.kind(key));
      }
      int size = target.isArray() ? target.size() : target.asText().length();
      long i = key.longValue() < 0 ? size + key.longValue() : key.longValue();
      if (i < 0 || i >= size) {
        throw fail("index " + key.longValue() + " is out of range for " + Paths.kind(target)
            + (target.isTextual() ? " (" + size + " characters)" : ""));
      }
      return target.isArray() ? target.get((int) i) : F.textNode(String.valueOf(target.asText().charAt((int) i)));
    }
    if (target.isObject()) {
      JsonNode v = key.isTextual() ? target.get(key.asText()) : null;
      if (v == null) {
        throw fail("key " + PyOps.repr(key) + " is not in the object");
      }
      return v;
    }
    throw fail("cannot index " + Paths.kind(target));
  }

  private JsonNode call(Call c) throws StateFailure {
    List<Node> args = c.args();
    String f = c.function();
    int want = f.equals("getattr") ? 2 : 1;
    if (args.size() != want && !(f.equals("getattr") && args.size() == 1)) {
      throw fail(f + "() takes " + want + " argument" + (want == 1 ? "" : "s") + ", not " + args.size());
    }
    JsonNode a = eval(args.get(0));
    return switch (f) {
      case "str" -> F.textNode(PyOps.str(a));
      case "int" -> PyOps.toInt(a, this::fail);
      case "float" -> PyOps.toFloat(a, this::fail);
      case "len" -> {
        if (a.isTextual()) {
          yield PyOps.integer(a.asText().length());
        }
        if (!a.isContainerNode()) {
          throw fail("len() needs a string, list or object, not " + Paths.kind(a));
        }
        yield PyOps.integer(a.size());
      }
      case "pathsplit" -> pathsplit(a);
      case "is_present" -> F.booleanNode(dotted(a, f) != null);
      case "getattr" -> {
        JsonNode v = dotted(a, f);
        if (v == null && args.size() == 1) {
          throw fail("getattr(" + PyOps.repr(a) + ") names nothing in the state; give a default as its second"
              + " argument, or test is_present() first");
        }
        yield v != null ? v : eval(args.get(1));
      }
      default -> throw fail("the function '" + f + "' is not one the local engine knows");
    };
  }

  /** The value a dotted name ({@code 'a.b.c'}) names in the scope, or null when a part is missing. */
  private JsonNode dotted(JsonNode name, String function) throws StateFailure {
    if (!name.isTextual()) {
      throw fail(function + "() needs a dotted name in quotes ('a.b'), not " + Paths.kind(name));
    }
    JsonNode at = scope;
    for (String part : name.asText().split("\\.", -1)) {
      at = at != null && at.isObject() ? at.get(part) : null;
      if (at == null) {
        return null;
      }
    }
    return at;
  }

  private JsonNode pathsplit(JsonNode p) throws StateFailure {
    if (!p.isTextual()) {
      throw fail("pathsplit() needs a string, not " + Paths.kind(p));
    }
    String path = p.asText();
    // Trailing slashes name the same directory: "/a/b/" splits like "/a/b", so the tail is "b", not "".
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    int slash = path.lastIndexOf('/');
    String head = slash < 0 ? "" : path.substring(0, slash);
    String tail = path.substring(slash + 1);
    if (slash == 0) {
      head = "/";
    }
    ArrayNode out = F.arrayNode();
    out.add(head);
    out.add(tail);
    return out;
  }
}
