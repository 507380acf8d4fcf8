package org.flowwatch.engine.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.flowwatch.engine.ActionUnableToRunException;

/**
 * The {@code filter} of Transfer's ls: clauses {@code field:value} joined by {@code /}, all of which an
 * entry must pass. Fields: {@code name} ({@code name:x} equal, {@code name:~GLOB} matching,
 * {@code name:!x} / {@code name:!~GLOB} negated), {@code type} (a comma list: {@code type:dir,file}) and
 * {@code size} (a range {@code MIN,MAX}, either side may be empty). The FRIB definitions test a directory's
 * existence with {@code name:!~*}{@code /type:dir}, which lists nothing.
 */
final class ListFilter {
  private final List<Predicate<JsonNode>> clauses;

  private ListFilter(List<Predicate<JsonNode>> clauses) {
    this.clauses = clauses;
  }

  static ListFilter parse(String filter) throws ActionUnableToRunException {
    List<Predicate<JsonNode>> clauses = new ArrayList<>();
    if (filter == null || filter.isEmpty()) {
      return new ListFilter(clauses);
    }
    for (String clause : filter.split("/")) {
      int colon = clause.indexOf(':');
      if (colon < 1) {
        throw new ActionUnableToRunException("ls: the filter clause '" + clause + "' is not field:value (e.g."
            + " name:~*.evt or type:dir)");
      }
      String field = clause.substring(0, colon);
      String value = clause.substring(colon + 1);
      clauses.add(switch (field) {
        case "name" -> name(value);
        case "type" -> {
          List<String> types = Arrays.asList(value.split(","));
          yield entry -> types.contains(entry.path("type").asText());
        }
        case "size" -> size(value, clause);
        default -> throw new ActionUnableToRunException("ls: the filter field '" + field + "' is not one this"
            + " local ls knows (name, type, size)");
      });
    }
    return new ListFilter(clauses);
  }

  boolean passes(JsonNode entry) {
    return clauses.stream().allMatch(c -> c.test(entry));
  }

  private static Predicate<JsonNode> name(String value) {
    boolean negated = value.startsWith("!");
    String rest = negated ? value.substring(1) : value;
    Predicate<JsonNode> match;
    if (rest.startsWith("~")) {
      Glob glob = Glob.of(rest.substring(1));
      match = entry -> glob.matches(entry.path("name").asText());
    } else {
      String exact = rest.startsWith("=") ? rest.substring(1) : rest;
      match = entry -> entry.path("name").asText().equals(exact);
    }
    return negated ? match.negate() : match;
  }

  private static Predicate<JsonNode> size(String value, String clause) throws ActionUnableToRunException {
    String[] range = value.split(",", -1);
    try {
      long min = range[0].isEmpty() ? Long.MIN_VALUE : Long.parseLong(range[0]);
      long max = range.length < 2 || range[1].isEmpty() ? Long.MAX_VALUE : Long.parseLong(range[1]);
      return entry -> entry.path("size").asLong() >= min && entry.path("size").asLong() <= max;
    } catch (NumberFormatException e) {
      throw new ActionUnableToRunException("ls: the filter clause '" + clause + "' needs a size range MIN,MAX in"
          + " bytes");
    }
  }
}
