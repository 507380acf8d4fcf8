package org.flowwatch.run;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.PatternSyntaxException;
import org.flowwatch.text.FileProblems;

/**
 * The regular files of a run directory tree, sorted by relative path.
 *
 * <p>Only attributes are read, never contents: a run can hold many gigabytes and the agent scans it
 * repeatedly. Symbolic links are neither followed nor listed, whether they point at files or
 * directories: a link could lead out of the run (the facts would then describe data the flow never
 * transfers) or back up the tree (a loop the walk would never leave). A file that disappears during the
 * walk is skipped, because rsync renames its hidden temporary files while we look.
 *
 * @param files every regular file, sorted by {@link RunFile#path()}
 */
public record RunFiles(List<RunFile> files) {

  public RunFiles {
    files = List.copyOf(files);
  }

  /**
   * Where a walk of a run directory starts: the directory, or the target of a run directory that is itself a
   * symbolic link (a walk without FOLLOW_LINKS would see the link as one non-file and nothing under it).
   * Links inside the tree are still not followed. Where the link may lead is checked by its caller.
   */
  static Path walkStart(Path directory) {
    Path root = directory.toAbsolutePath().normalize();
    if (Files.isSymbolicLink(root)) {
      try {
        return root.toRealPath();
      } catch (java.io.IOException e) {
        return root; // broken: the walk reports it
      }
    }
    return root;
  }

  /** Walks the whole tree under {@code directory} (which must be a readable directory). */
  public static RunFiles scan(Path directory) {
    Path root = walkStart(directory);
    List<RunFile> found = new ArrayList<>();
    try {
      // No FOLLOW_LINKS: links are reported with their own attributes and are not regular files.
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) {
            found.add(new RunFile(relative(root, file), attrs.size(), attrs.lastModifiedTime()));
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
          }
          throw e;
        }
      });
    } catch (IOException e) {
      throw new RunDirectoryException("Cannot list the files of run directory " + root + ": " + describe(root, e)
          + ". Check that the user running flowwatch can read and enter every directory in it.", e);
    }
    found.sort(Comparator.comparing(RunFile::path));
    return new RunFiles(found);
  }

  /** The relative paths of all files, sorted. */
  public List<String> paths() {
    return files.stream().map(RunFile::path).toList();
  }

  /** The total size of all files in bytes. */
  public long totalBytes() {
    return files.stream().mapToLong(RunFile::size).sum();
  }

  /**
   * How many files match a glob ({@link java.nio.file.FileSystem#getPathMatcher} "glob:" syntax).
   *
   * <p>A glob without '/' is matched against each file's name, so {@code *.evt} counts {@code .evt}
   * files at any depth (what a user means by "the segments"). A glob with '/' is matched against the
   * whole relative path, so {@code raw/*.evt} counts only files directly in {@code raw/} and
   * {@code **}{@code /*.evt} only files below the top level.
   *
   * @throws IllegalArgumentException when the glob is not valid glob syntax
   */
  public long count(String glob) {
    Predicate<Path> matches = globMatcher(glob);
    return files.stream().map(f -> Path.of(f.path())).filter(matches).count();
  }

  /**
   * A test of relative paths against a glob, with the rule of {@link #count}: a glob without '/' matches
   * file names at any depth, one with '/' matches the whole relative path.
   *
   * @throws IllegalArgumentException when the glob is not valid glob syntax
   */
  public static Predicate<Path> globMatcher(String glob) {
    PathMatcher matcher;
    try {
      matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(e.getDescription() + " at index " + e.getIndex(), e);
    }
    boolean byName = !glob.contains("/");
    return p -> matcher.matches(byName ? p.getFileName() : p);
  }

  private static String relative(Path root, Path file) {
    String rel = root.relativize(file).toString();
    String separator = root.getFileSystem().getSeparator();
    return separator.equals("/") ? rel : rel.replace(separator, "/");
  }

  /** The failure in words, with the file it happened on when that is not the run directory itself. */
  private static String describe(Path root, IOException e) {
    String where = e instanceof FileSystemException fse && fse.getFile() != null && !fse.getFile().equals(root.toString())
        ? " (" + fse.getFile() + ")" : "";
    return FileProblems.causeOf(e) + where;
  }
}
