package org.flowwatch.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flowwatch.engine.compute.Launcher;
import org.flowwatch.engine.compute.LocalComputeProvider;
import org.flowwatch.engine.transfer.LocalTransferProvider;
import org.junit.jupiter.api.Test;

/**
 * Every ActionUrl of the shipped flows and of the real definitions kept as test data has a local
 * provider. Read as text: the FlowCron template holds placeholders that are not JSON until filled in.
 */
class LocalProvidersCoverTheShippedFlowsTest {
  private static final Pattern ACTION_URL = Pattern.compile("\"ActionUrl\"\\s*:\\s*\"([^\"]+)\"");

  @Test
  void everyActionUrlOfTheShippedAndRealFlowsIsServed() throws IOException {
    Set<String> served = new HashSet<>(new LocalTransferProvider().urls());
    served.addAll(new LocalComputeProvider(Map.of(), Map.of("x", Launcher.DIRECT), Path.of("work"), "python3").urls());
    Set<String> used = new TreeSet<>();
    for (Path dir : List.of(Path.of("flows"), Path.of("src/test/resources/realdata"))) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
          Matcher m = ACTION_URL.matcher(Files.readString(file));
          while (m.find()) {
            used.add(m.group(1).replaceAll("/$", ""));
          }
        }
      }
    }

    assertTrue(used.size() >= 8, "found the definitions' action URLs: " + used);
    used.removeAll(served);
    assertEquals(Set.of(), used, "action URLs without a local provider");
  }
}
