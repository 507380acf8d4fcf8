package org.flowwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileEditorTest {
  private static final String NEW = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
  private static final String OLD = "42e3e64f-4d1e-4681-9a3e-cc9533d7933e";

  @TempDir Path dir;

  private Path write(String text) throws IOException {
    return Files.writeString(dir.resolve("flowwatch.yaml"), text);
  }

  @Test
  void replacesOnlyTheValueKeepingCommentsQuotesAndEverythingElse() throws IOException {
    String before = """
        # top comment
        vars:
          fit_function: 42e3e64f-4d1e-4681-9a3e-cc9533d7933e   # FRIB's
        compute:
          functions:
            fit:
              source: src/main/python/pipeline.py
              id: "42e3e64f-4d1e-4681-9a3e-cc9533d7933e"  # registered 2024
              endpoint: fit
        """;
    Path file = write(before);
    ConfigFileEditor editor = ConfigFileEditor.open(file);

    ConfigFileEditor.Edit edit = editor.set(List.of("compute", "functions", "fit", "id"), NEW);
    List<ConfigFileEditor.Edit> vars = editor.replaceValues("vars", OLD, NEW);
    editor.save();

    assertEquals(new ConfigFileEditor.Edit("compute.functions.fit.id", 8, "\"" + OLD + "\"", NEW), edit);
    assertEquals(List.of(new ConfigFileEditor.Edit("vars.fit_function", 3, OLD, NEW)), vars);
    assertEquals(before.replace("\"" + OLD + "\"", NEW).replace(OLD, NEW), Files.readString(file));
  }

  @Test
  void insertsAMissingKeyAsTheFirstEntryWithTheSiblingsIndentAndLineEnding() throws IOException {
    String before = "compute:\r\n  functions:\r\n    fit:\r\n      source: a.py   # x\r\n      function: fit\r\n"
        + "    convert:\r\n      source: a.py\r\n      function: convert\r\n";
    Path file = write(before);
    ConfigFileEditor editor = ConfigFileEditor.open(file);

    ConfigFileEditor.Edit edit = editor.set(List.of("compute", "functions", "convert", "id"), NEW);

    assertNull(edit.before());
    assertEquals(before.replace("    convert:\r\n", "    convert:\r\n      id: " + NEW + "\r\n"), editor.text());
  }

  @Test
  void fillsAnEmptyValueAndKeepsItsComment() throws IOException {
    ConfigFileEditor editor = ConfigFileEditor.open(write("fn:\n  id:   # set by register-function\n  x: 1\n"));
    editor.set(List.of("fn", "id"), NEW);
    assertEquals("fn:\n  id: " + NEW + " # set by register-function\n  x: 1\n", editor.text());
  }

  @Test
  void keepsTheFilesPermissions() throws IOException {
    Path file = write("a:\n  id: x\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    ConfigFileEditor editor = ConfigFileEditor.open(file);
    editor.set(List.of("a", "id"), NEW);
    editor.save();
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(List.of("flowwatch.yaml"), Files.list(dir).map(p -> p.getFileName().toString()).toList());
  }

  @Test
  void refusesWhatItCannotRewriteSafely() throws IOException {
    ConfigFileEditor env = ConfigFileEditor.open(write("a:\n  id: ${FIT_ID}\n"));
    ConfigException e = assertThrows(ConfigException.class, () -> env.set(List.of("a", "id"), NEW));
    assertTrue(e.getMessage().contains("flowwatch.yaml:2: cannot update a.id in place"), e.getMessage());
    assertTrue(e.getMessage().contains("set the variable instead"), e.getMessage());

    ConfigFileEditor flow = ConfigFileEditor.open(write("a: {source: x.py, function: fit}\n"));
    assertThrows(ConfigException.class, () -> flow.set(List.of("a", "id"), NEW));

    ConfigFileEditor mapping = ConfigFileEditor.open(write("a:\n  id:\n    b: 1\n"));
    assertThrows(ConfigException.class, () -> mapping.set(List.of("a", "id"), NEW));
  }
}
