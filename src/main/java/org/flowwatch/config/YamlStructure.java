package org.flowwatch.config;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Holds a YAML file to the plain subset flowwatch reads, so that what the file says is what flowwatch
 * does. Jackson's YAML reader turns an alias ({@code *x}) into the string "x", drops unknown tags, ignores
 * merge keys ({@code <<}) and reads a second document ({@code ---}) as if it were more of the first; each of
 * those is refused here, before Jackson sees the text, with the file, line and column. Syntax errors become
 * one sentence at one position instead of the parser's multi-line report.
 *
 * <p>This walks SnakeYAML's event stream, the layer under Jackson's YAML parser, because only it reports
 * anchors on every node and where each document starts.
 */
final class YamlStructure {
  /** Tags whose meaning Jackson honours; any other tag would be silently dropped or misread. */
  private static final Set<String> HONOURED_TAGS = Set.of("tag:yaml.org,2002:str", "tag:yaml.org,2002:int",
      "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq");

  private YamlStructure() {}

  /** @throws ConfigException at the first construct flowwatch does not read, or the first syntax error */
  static void check(String text, String name) {
    Deque<Frame> open = new ArrayDeque<>();
    int documents = 0;
    try {
      for (Event event : new Yaml(new LoaderOptions()).parse(new StringReader(text))) {
        if (event instanceof DocumentStartEvent) {
          if (++documents > 1) {
            throw new ConfigException(at(name, event.getStartMark()) + ": a second YAML document starts here;"
                + " a flowwatch file holds one document, so remove this '---' and what follows, or merge it"
                + " into the first");
          }
        } else if (event instanceof NodeEvent node) {
          boolean isKey = !open.isEmpty() && open.peek().nextIsKey();
          if (event instanceof AliasEvent) {
            throw anchors(name, event.getStartMark(), "*" + node.getAnchor());
          }
          if (node.getAnchor() != null) {
            throw anchors(name, event.getStartMark(), "&" + node.getAnchor());
          }
          checkTag(name, event);
          if (isKey && event instanceof ScalarEvent scalar && scalar.isPlain() && "<<".equals(scalar.getValue())) {
            throw new ConfigException(at(name, event.getStartMark()) + ": YAML merge keys (<<) are not"
                + " supported; write the keys out in this mapping");
          }
          if (event instanceof MappingStartEvent || event instanceof SequenceStartEvent) {
            open.push(new Frame(event instanceof MappingStartEvent));
          }
        } else if (event instanceof CollectionEndEvent) {
          open.pop();
        }
      }
    } catch (MarkedYAMLException e) {
      throw new ConfigException(YamlSyntax.describe(e, name), e);
    } catch (ReaderException e) {
      throw new ConfigException(at(name, text, e.getPosition()) + ": the character U+"
          + String.format("%04X", e.getCodePoint()) + " is not allowed in a YAML file; remove it", e);
    } catch (YAMLException e) {
      throw new ConfigException(name + ": this is not valid YAML: " + firstLine(e.getMessage()), e);
    }
  }

  /** An open mapping or sequence; in a mapping, nodes alternate key, value, key, ... */
  private static final class Frame {
    private final boolean mapping;
    private int nodes;

    Frame(boolean mapping) {
      this.mapping = mapping;
    }

    /** Counts the node that comes next in this collection; true when it is a mapping key. */
    boolean nextIsKey() {
      return mapping && nodes++ % 2 == 0;
    }
  }

  private static void checkTag(String name, Event event) {
    String tag = event instanceof ScalarEvent s ? s.getTag()
        : event instanceof MappingStartEvent m ? m.getTag()
        : event instanceof SequenceStartEvent q ? q.getTag() : null;
    if (tag != null && !HONOURED_TAGS.contains(tag) && !"!".equals(tag)) {
      String shown = tag.startsWith("tag:yaml.org,2002:") ? "!!" + tag.substring("tag:yaml.org,2002:".length())
          : tag.startsWith("!") ? tag : "!<" + tag + ">";
      throw new ConfigException(at(name, event.getStartMark()) + ": the YAML tag " + shown + " is not supported;"
          + " remove it and write the value itself (quote it to make it text)");
    }
  }

  private static ConfigException anchors(String name, Mark mark, String written) {
    return new ConfigException(at(name, mark) + ": YAML anchors and aliases (&x, *x) are not supported, and "
        + written + " is one; write the value out in full where it is used");
  }

  /** {@code file:line:col}, 1-based, from a SnakeYAML mark (0-based). */
  static String at(String name, Mark mark) {
    return mark == null ? name : name + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
  }

  /** {@code file:line:col} of a character offset in the text. */
  private static String at(String name, String text, int offset) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(offset, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return name + ":" + line + ":" + column;
  }

  private static String firstLine(String message) {
    String m = message == null ? "" : message.strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
