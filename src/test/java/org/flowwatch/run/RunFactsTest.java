package org.flowwatch.run;

import static org.flowwatch.run.ConfigFixture.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flowwatch.config.Config;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFactsTest {
  private static final String FRIB_ID = "9656eff2-8105-445c-8501-154dfe1d88e5";
  private static final String NERSC_ID = "9d6d994a-6d04-11e5-ba46-22000b92c6ec";

  @TempDir Path tmp;
  private Path cephRoot;

  @BeforeEach
  void makeCephMount() throws IOException {
    cephRoot = Files.createDirectories(tmp.resolve("mnt/cephfs/sci-dtn"));
  }

  private ConfigFixture frib() {
    return config()
        .collection("frib", FRIB_ID, cephRoot, "/mnt/sci-dtn")
        .collection("nersc", NERSC_ID, null, null)
        .count("segments", "*.evt");
  }

  private Path runDir(String relative, String... files) throws IOException {
    Path dir = Files.createDirectories(cephRoot.resolve(relative));
    for (String f : files) {
      Path file = dir.resolve(f);
      Files.createDirectories(file.getParent());
      Files.writeString(file, f);
    }
    return dir;
  }

  @Test
  void typesADigitsOnlyGroupAsANumber() throws IOException {
    Path run = runDir("e21062_2/rawdata/run1217");

    RunFacts facts = RunFacts.collect(run, frib().build());

    assertEquals(1217L, facts.values().get("run.number"));
    assertEquals("run1217", facts.values().get("run.name"));
  }

  @Test
  void typesAGroupTooLargeForALongAsBigInteger() throws IOException {
    Path run = runDir("run123456789012345678901234567890");

    RunFacts facts = RunFacts.collect(run, frib().build());

    assertEquals(new BigInteger("123456789012345678901234567890"), facts.values().get("run.number"));
  }

  @Test
  void keepsAGroupWithLettersAsAString() throws IOException {
    Path run = runDir("e21062_run0042");

    RunFacts facts = RunFacts.collect(run, frib().pattern("(?<experiment>e\\d+)_run(?<number>\\d+)").build());

    assertEquals("e21062", facts.values().get("run.experiment"));
    assertEquals(42L, facts.values().get("run.number"));
  }

  @Test
  void rejectsANameThatDoesNotMatchThePattern() throws IOException {
    Path run = runDir("calibration7");

    RunDirectoryException e = assertThrows(RunDirectoryException.class, () -> RunFacts.collect(run, frib().build()));

    assertTrue(e.getMessage().contains("'calibration7'"), e.getMessage());
    assertTrue(e.getMessage().contains("'run(?<number>\\d+)'"), e.getMessage());
    assertTrue(e.getMessage().contains("whole name must match"), e.getMessage());
  }

  @Test
  void rejectsADirectoryOutsideEveryCollectionAndListsTheRoots() throws IOException {
    Path run = Files.createDirectories(tmp.resolve("elsewhere/run5"));

    RunDirectoryException e = assertThrows(RunDirectoryException.class, () -> RunFacts.collect(run, frib().build()));

    assertTrue(e.getMessage().contains("frib: local_root " + cephRoot), e.getMessage());
    assertTrue(e.getMessage().contains("nersc: no local_root"), e.getMessage());
    assertTrue(e.getMessage().contains("Add a collection whose local_root contains " + run), e.getMessage());
  }

  @Test
  void rejectsALinkedRunDirectoryWhoseTargetIsOutsideEveryCollection() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("etc/run5"));
    Files.writeString(outside.resolve("secret.evt"), "x");
    Path link = Files.createSymbolicLink(cephRoot.resolve("run5"), outside);

    RunDirectoryException e = assertThrows(RunDirectoryException.class, () -> RunFacts.collect(link, frib().build()));

    assertTrue(e.getMessage().contains("is a symbolic link to " + outside.toRealPath()), e.getMessage());
    assertTrue(e.getMessage().contains("outside the local_root of every collection"), e.getMessage());
  }

  @Test
  void acceptsALinkedRunDirectoryThatStaysInsideACollection() throws IOException {
    Path target = runDir("incoming/run5", "run-5-00.evt");
    Path link = Files.createSymbolicLink(cephRoot.resolve("run5"), target);

    RunFacts facts = RunFacts.collect(link, frib().build());

    assertEquals("run5", facts.get(RunFacts.NAME).orElseThrow());
    assertEquals("/mnt/sci-dtn/run5", facts.get(RunFacts.GLOBUS_PATH).orElseThrow());
  }

  @Test
  void rejectsAMissingPathAndAFile() throws IOException {
    Path missing = cephRoot.resolve("run1");
    Path file = Files.writeString(cephRoot.resolve("run2"), "x");
    Config config = frib().build();

    RunDirectoryException gone = assertThrows(RunDirectoryException.class, () -> RunFacts.collect(missing, config));
    RunDirectoryException notDir = assertThrows(RunDirectoryException.class, () -> RunFacts.collect(file, config));

    assertTrue(gone.getMessage().contains(missing + " does not exist"), gone.getMessage());
    assertTrue(notDir.getMessage().contains(file + " is not a directory"), notDir.getMessage());
  }

  @Test
  void countsNestedFilesByGlobAtAnyDepthWhenTheGlobHasNoSlash() throws IOException {
    Path run = runDir("run7", "run-7-00.evt", "sub/run-7-01.evt", "sub/deeper/run-7-02.evt", "notes.txt");

    RunFacts facts = RunFacts.collect(run, frib().count("sub_segments", "sub/*.evt").count("logs", "*.log").build());

    assertEquals(3L, facts.values().get("run.segments"));
    assertEquals(1L, facts.values().get("run.sub_segments"));
    assertEquals(0L, facts.values().get("run.logs"));
  }

  @Test
  void listsEveryRegularFileSortedWithTheirTotalSize() throws IOException {
    Path run = runDir("run7");
    Files.write(run.resolve("b.evt"), new byte[1000]);
    Files.createDirectories(run.resolve("a"));
    Files.write(run.resolve("a/z.evt"), new byte[24]);
    Files.createDirectories(run.resolve("empty"));

    RunFacts facts = RunFacts.collect(run, frib().build());

    assertEquals(List.of("a/z.evt", "b.evt"), facts.values().get("run.files"));
    assertEquals(2L, facts.values().get("run.file_count"));
    assertEquals(1024L, facts.values().get("run.size"));
  }

  @Test
  void neitherFollowsNorCountsSymbolicLinksSoALoopEnds() throws IOException {
    Path run = runDir("run7", "run-7-00.evt");
    Path outside = Files.writeString(tmp.resolve("outside.evt"), "not part of the run");
    Files.createSymbolicLink(run.resolve("loop"), run);
    Files.createSymbolicLink(run.resolve("up"), cephRoot);
    Files.createSymbolicLink(run.resolve("linked.evt"), outside);

    RunFacts facts = RunFacts.collect(run, frib().build());

    assertEquals(List.of("run-7-00.evt"), facts.values().get("run.files"));
    assertEquals(1L, facts.values().get("run.segments"));
  }

  @Test
  void choosesTheDeepestCollectionAndGivesEveryContainingOneARunPath() throws IOException {
    Path run = runDir("e21062_2/rawdata/run1217");
    Config config = config()
        .collection("ceph", NERSC_ID, tmp.resolve("mnt/cephfs"), "/ceph")
        .collection("frib", FRIB_ID, cephRoot, "/mnt/sci-dtn")
        .build();

    RunFacts facts = RunFacts.collect(run, config);

    assertEquals("frib", facts.values().get("run.collection"));
    assertEquals(FRIB_ID, facts.values().get("run.collection_id"));
    assertEquals("/mnt/sci-dtn/e21062_2/rawdata/run1217", facts.values().get("run.globus_path"));
    assertEquals("/ceph/sci-dtn/e21062_2/rawdata/run1217", facts.values().get("collections.ceph.run_path"));
  }

  @Test
  void mapsTheFribCephfsPathToTheCollectionPath() throws IOException {
    Path run = runDir("e21062_2/rawdata/run1217", "run-1217-00.evt");

    RunFacts facts = RunFacts.collect(run, frib().build());

    assertEquals(run.toString(), facts.values().get("run.path"));
    assertEquals("/mnt/sci-dtn/e21062_2/rawdata/run1217", facts.values().get("collections.frib.run_path"));
    assertEquals("/mnt/sci-dtn", facts.values().get("collections.frib.root"));
    assertEquals(NERSC_ID, facts.values().get("collections.nersc.id"));
    assertFalse(facts.values().containsKey("collections.nersc.root"));
    assertFalse(facts.values().containsKey("collections.nersc.run_path"));
  }

  @Test
  void normalizesTheRunPathWithoutATrailingSlash() throws IOException {
    Path run = runDir("run9");

    RunFacts facts = RunFacts.collect(Path.of(run + "/../run9/"), frib().build());

    assertEquals(run.toString(), facts.values().get("run.path"));
  }

  @Test
  void addsVarsAndFlowFactsWithScalarsTyped() throws IOException {
    Path run = runDir("run9");
    JsonNodeFactory json = JsonNodeFactory.instance;
    Config config = frib()
        .var("base", json.textNode("/global/cfs"))
        .var("level", json.numberNode(3))
        .var("notify", json.booleanNode(true))
        .var("ratio", json.numberNode(0.5))
        .var("rules", json.arrayNode().add("a"))
        .flow("babd88e5-d31d-48c7-b3a0-b765389b5c22", "FRIB-NERSC-Analysis-Pipeline")
        .build();

    RunFacts facts = RunFacts.collect(run, config);

    assertEquals("/global/cfs", facts.values().get("vars.base"));
    assertEquals(3L, facts.values().get("vars.level"));
    assertEquals(true, facts.values().get("vars.notify"));
    assertEquals(0.5, facts.values().get("vars.ratio"));
    assertEquals(json.arrayNode().add("a"), facts.values().get("vars.rules"));
    assertEquals("babd88e5-d31d-48c7-b3a0-b765389b5c22", facts.values().get("flow.id"));
    assertEquals("FRIB-NERSC-Analysis-Pipeline", facts.values().get("flow.title"));
  }

  @Test
  void ordersFactsRunFirstThenCollectionsVarsAndFlow() throws IOException {
    Path run = runDir("run9");

    RunFacts facts = RunFacts.collect(run, frib().var("x", JsonNodeFactory.instance.textNode("y")).build());

    assertEquals(List.of("run.name", "run.path", "run.number", "run.files", "run.file_count", "run.size",
        "run.segments", "run.collection", "run.collection_id", "run.globus_path", "collections.frib.id",
        "collections.frib.root", "collections.frib.run_path", "collections.nersc.id", "vars.x"),
        List.copyOf(facts.values().keySet()));
  }

  @Test
  void rejectsACountThatWouldReplaceABuiltInFact() throws IOException {
    Path run = runDir("run9");

    RunDirectoryException e = assertThrows(RunDirectoryException.class,
        () -> RunFacts.collect(run, frib().count("size", "*").build()));

    assertTrue(e.getMessage().contains("run_directory.counts.size"), e.getMessage());
    assertTrue(e.getMessage().contains("built in"), e.getMessage());
  }

  @Test
  void rejectsACountNamedLikeAPatternGroup() throws IOException {
    Path run = runDir("run9");

    RunDirectoryException e = assertThrows(RunDirectoryException.class,
        () -> RunFacts.collect(run, frib().count("number", "*").build()));

    assertTrue(e.getMessage().contains("group of run_directory.pattern"), e.getMessage());
  }

  @Test
  void rejectsAPatternGroupNamedLikeABuiltInFact() throws IOException {
    Path run = runDir("run9");

    RunDirectoryException e = assertThrows(RunDirectoryException.class,
        () -> RunFacts.collect(run, frib().pattern("run(?<size>\\d+)").build()));

    assertTrue(e.getMessage().contains("group named 'size'"), e.getMessage());
  }

  @Test
  void rejectsAnInvalidCountGlob() throws IOException {
    Path run = runDir("run9");

    RunDirectoryException e = assertThrows(RunDirectoryException.class,
        () -> RunFacts.collect(run, frib().count("broken", "*.{evt").build()));

    assertTrue(e.getMessage().contains("'*.{evt' is not a valid glob"), e.getMessage());
  }
}
