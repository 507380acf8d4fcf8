package org.flowwatch.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which state can follow which: Next, Default, each Choice rule's Next and each Catch's Next. Only
 * transitions to states that exist are edges; the structure check reports the others.
 */
final class StateGraph {

  enum Via { NEXT, DEFAULT, CHOICE, CATCH }

  /**
   * @param index which Choice rule or Catch entry (0 for Next and Default)
   * @param pointer the pointer of the field that names the target
   */
  record Edge(String from, String to, Via via, int index, String pointer) {}

  private final List<String> order;
  private final Map<String, List<Edge>> out = new HashMap<>();

  private StateGraph(FlowDefinition definition) {
    this.order = List.copyOf(definition.states().keySet());
    for (Map.Entry<String, ObjectNode> e : definition.states().entrySet()) {
      String name = e.getKey();
      ObjectNode state = e.getValue();
      String at = FlowDefinition.pointerOf(name);
      List<Edge> edges = new ArrayList<>();
      target(state.get("Next")).ifPresent(to -> edges.add(new Edge(name, to, Via.NEXT, 0, at + "/Next")));
      target(state.get("Default")).ifPresent(to -> edges.add(new Edge(name, to, Via.DEFAULT, 0, at + "/Default")));
      addEach(edges, name, state.get("Choices"), Via.CHOICE, at + "/Choices");
      addEach(edges, name, state.get("Catch"), Via.CATCH, at + "/Catch");
      edges.removeIf(edge -> !definition.states().containsKey(edge.to()));
      out.put(name, List.copyOf(edges));
    }
  }

  static StateGraph of(FlowDefinition definition) {
    return new StateGraph(definition);
  }

  private static void addEach(List<Edge> edges, String from, JsonNode list, Via via, String pointer) {
    if (list == null || !list.isArray()) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      int index = i;
      target(list.get(i).get("Next"))
          .ifPresent(to -> edges.add(new Edge(from, to, via, index, pointer + "/" + index + "/Next")));
    }
  }

  private static java.util.Optional<String> target(JsonNode next) {
    return next != null && next.isTextual() ? java.util.Optional.of(next.asText()) : java.util.Optional.empty();
  }

  /** The transitions out of a state. */
  List<Edge> from(String state) {
    return out.getOrDefault(state, List.of());
  }

  /** Every state reachable from the given ones, themselves included. */
  Set<String> reachableFrom(List<String> starts) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    for (String s : starts) {
      if (out.containsKey(s) && seen.add(s)) {
        todo.add(s);
      }
    }
    while (!todo.isEmpty()) {
      for (Edge e : from(todo.poll())) {
        if (seen.add(e.to())) {
          todo.add(e.to());
        }
      }
    }
    return seen;
  }

  /**
   * The loops: each strongly connected group of states that can return to itself, in file order of its
   * first state, each listed in file order.
   */
  List<List<String>> loops() {
    Map<String, Integer> component = new Tarjan().run();
    Map<Integer, List<String>> groups = new java.util.LinkedHashMap<>();
    for (String s : order) {
      groups.computeIfAbsent(component.get(s), k -> new ArrayList<>()).add(s);
    }
    List<List<String>> loops = new ArrayList<>();
    for (List<String> group : groups.values()) {
      String only = group.get(0);
      if (group.size() > 1 || from(only).stream().anyMatch(e -> e.to().equals(only))) {
        loops.add(List.copyOf(group));
      }
    }
    return loops;
  }

  /** Tarjan's strongly connected components, iterative so a long chain of states cannot overflow the stack. */
  private final class Tarjan {
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final Map<String, Integer> component = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new java.util.HashSet<>();
    private int counter;
    private int components;

    Map<String, Integer> run() {
      for (String s : order) {
        if (!index.containsKey(s)) {
          visit(s);
        }
      }
      return component;
    }

    private void visit(String root) {
      Deque<Object[]> work = new ArrayDeque<>();
      open(root);
      work.push(new Object[] {root, 0});
      while (!work.isEmpty()) {
        Object[] frame = work.peek();
        String v = (String) frame[0];
        int i = (Integer) frame[1];
        List<Edge> edges = from(v);
        if (i < edges.size()) {
          frame[1] = i + 1;
          String w = edges.get(i).to();
          if (!index.containsKey(w)) {
            open(w);
            work.push(new Object[] {w, 0});
          } else if (onStack.contains(w)) {
            low.put(v, Math.min(low.get(v), index.get(w)));
          }
          continue;
        }
        work.pop();
        if (!work.isEmpty()) {
          String parent = (String) work.peek()[0];
          low.put(parent, Math.min(low.get(parent), low.get(v)));
        }
        if (low.get(v).equals(index.get(v))) {
          String w;
          do {
            w = stack.pop();
            onStack.remove(w);
            component.put(w, components);
          } while (!w.equals(v));
          components++;
        }
      }
    }

    private void open(String v) {
      index.put(v, counter);
      low.put(v, counter);
      counter++;
      stack.push(v);
      onStack.add(v);
    }
  }
}
