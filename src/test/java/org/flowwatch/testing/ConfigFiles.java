package org.flowwatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies the files the repository's flowwatch.yaml names (input schema, flow definition, Compute function
 * sources) next to a copy of it, so a test can edit the config in a temporary directory and still load it.
 */
public final class ConfigFiles {
  private static final Path REPO = Path.of("").toAbsolutePath();
  private static final List<String> REFERENCED = List.of("schemas", "flows", "src/main/python");

  private ConfigFiles() {}

  public static void copyReferencedFiles(Path dir) {
    for (String folder : REFERENCED) {
      Path from = REPO.resolve(folder);
      if (!Files.isDirectory(from)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(from)) {
        for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          Path to = dir.resolve(REPO.relativize(file).toString());
          Files.createDirectories(to.getParent());
          Files.copy(file, to);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Writes a small config: one collection {@code dtn} whose {@code local_root} is {@code localRoot} (Globus
   * root {@code /data}), the given {@code flow} and {@code watch} sections (YAML, unindented), run
   * directories matching {@code pattern}, and an input document of the run's collection and path.
   */
  public static Path writeSmall(Path config, Path localRoot, String flowSection, String pattern, String watchSection) {
    try {
      return Files.writeString(config, """
          collections:
            dtn: {id: 9656eff2-8105-445c-8501-154dfe1d88e5, local_root: %s, globus_root: /data}
          flow:
          %s
          run_directory:
            pattern: '%s'
          watch:
          %s
          input:
            source: {id: "{run.collection_id}", path: "{run.globus_path}"}
          """.formatted(localRoot, flowSection.indent(2).stripTrailing(), pattern,
          watchSection.indent(2).stripTrailing()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
