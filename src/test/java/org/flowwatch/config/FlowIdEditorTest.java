package org.flowwatch.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.flowwatch.testing.ConfigFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy-flow --save: only flow.id changes, every other byte of the config stays. */
class FlowIdEditorTest {
  private static final String OLD = "babd88e5-d31d-48c7-b3a0-b765389b5c22";
  private static final UUID NEW = UUID.fromString("0b1c2d3e-0000-4000-8000-000000000001");
  private static final Path FRIB = Path.of("flowwatch.yaml");

  @TempDir Path dir;
  private Path config;
  private final FlowIdEditor editor = new FlowIdEditor(Map.of());

  @BeforeEach
  void copyTheFribConfig() throws Exception {
    ConfigFiles.copyReferencedFiles(dir);
    config = dir.resolve("flowwatch.yaml");
    Files.copy(FRIB, config);
  }

  private static String fribText() throws Exception {
    return Files.readString(FRIB);
  }

  private Config load() {
    return new ConfigLoader(Map.of()).load(config);
  }

  @Test
  void replacesOnlyTheFlowIdLeavingEveryOtherByte() throws Exception {
    FlowIdEditor.Outcome outcome = editor.save(config, NEW);

    assertEquals(FlowIdEditor.Outcome.REPLACED, outcome);
    String expected = fribText().replace("\n  id: " + OLD + "\n", "\n  id: " + NEW + "\n");
    assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(config));
    assertEquals(NEW, load().flow().id());
  }

  @Test
  void insertsAnIdLineAsTheFirstLineUnderFlowWhenThereIsNone() throws Exception {
    String without = fribText().replace("  id: " + OLD + "\n", "");
    Files.writeString(config, without);

    assertEquals(FlowIdEditor.Outcome.INSERTED, editor.save(config, NEW));

    String expected = without.replace("\nflow:\n", "\nflow:\n  id: " + NEW + "\n");
    assertEquals(expected, Files.readString(config));
    assertEquals(NEW, load().flow().id());
  }

  @Test
  void theSameIdChangesNothing() throws Exception {
    long before = Files.getLastModifiedTime(config).toMillis();

    assertEquals(FlowIdEditor.Outcome.UNCHANGED, editor.save(config, UUID.fromString(OLD)));

    assertEquals(fribText(), Files.readString(config));
    assertEquals(before, Files.getLastModifiedTime(config).toMillis());
  }

  @Test
  void keepsTheCommentQuotingStyleAsideAndWindowsLineEnds() throws Exception {
    String text = "# deploy target\r\nflow:   # the FRIB flow\r\n  schema: schemas/transfer_compute.json\r\n"
        + "  id: \"" + OLD + "\"   # deployed 2024-03\r\nrun_directory:\r\n  pattern: 'run(?<number>\\d+)'\r\n"
        + "input: {}\r\n";
    Files.writeString(config, text);

    editor.save(config, NEW);

    assertEquals(text.replace("\"" + OLD + "\"", NEW.toString()), Files.readString(config));
  }

  @Test
  void idsOfOtherSectionsAreNotTouched() throws Exception {
    editor.save(config, NEW);

    Config loaded = load();
    assertEquals(UUID.fromString("9656eff2-8105-445c-8501-154dfe1d88e5"), loaded.collections().get("frib_dtn").id());
    assertEquals(1, Stream.of(Files.readString(config).split("\n")).filter(l -> l.contains(NEW.toString())).count());
  }

  @Test
  void anIdFromTheEnvironmentIsNotOverwritten() throws Exception {
    String text = fribText().replace("  id: " + OLD, "  id: ${FLOW_ID:-" + OLD + "}");
    Files.writeString(config, text);

    ConfigException e = assertThrows(ConfigException.class, () -> editor.save(config, NEW));

    assertTrue(e.getMessage().contains("set from the environment"), e.getMessage());
    assertTrue(e.getMessage().contains(NEW.toString()), e.getMessage());
    assertEquals(text, Files.readString(config));
  }

  @Test
  void aFlowWrittenOnOneLineIsLeftForThePersonToEdit() throws Exception {
    String text = "flow: {schema: schemas/transfer_compute.json}\nrun_directory: {pattern: 'run(?<number>\\d+)'}\n"
        + "input: {}\n";
    Files.writeString(config, text);

    ConfigException e = assertThrows(ConfigException.class, () -> editor.save(config, NEW));

    assertTrue(e.getMessage().contains("set flow.id to " + NEW + " yourself"), e.getMessage());
    assertEquals(text, Files.readString(config));
  }

  @Test
  void keepsTheFilesPermissionsAndNoTemporaryFileIsLeft() throws Exception {
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r-----"));

    editor.save(config, NEW);

    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count());
    }
  }

  @Test
  void editsTheFileASymbolicLinkPointsAt() throws Exception {
    Path link = dir.resolve("link.yaml");
    Files.createSymbolicLink(link, config.getFileName());

    editor.save(link, NEW);

    assertTrue(Files.isSymbolicLink(link));
    assertEquals(NEW, load().flow().id());
  }
}
