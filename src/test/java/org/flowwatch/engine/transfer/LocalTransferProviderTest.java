package org.flowwatch.engine.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.flowwatch.engine.ActionContext;
import org.flowwatch.engine.ActionStatus;
import org.flowwatch.engine.ActionUnableToRunException;
import org.flowwatch.engine.LocalCollection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local Transfer provider on real directories: what lands where, and what the flow reads back. */
class LocalTransferProviderTest {
  private static final String SRC = "9656eff2-8105-445c-8501-154dfe1d88e5";
  private static final String DST = "9d6d994a-6d04-11e5-ba46-22000b92c6ec";
  private static final String TRANSFER = "https://transfer.actions.globus.org/transfer";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private Path src;
  private Path dst;
  private final List<String> progress = new ArrayList<>();
  private final LocalTransferProvider provider = new LocalTransferProvider();

  @BeforeEach
  void collections() throws IOException {
    src = Files.createDirectories(tmp.resolve("dtn"));
    dst = Files.createDirectories(tmp.resolve("nersc"));
  }

  private ActionContext context() {
    return new ActionContext("run-1", "TransferRawData", Map.of(SRC, LocalCollection.at(src), DST,
        LocalCollection.at(dst)), progress::add);
  }

  private ActionStatus run(String url, String parameters) throws Exception {
    return provider.run(url, JSON.readTree(parameters), context());
  }

  private ActionStatus transfer(String sourcePath, String destinationPath, String recursive, String extra)
      throws Exception {
    return run(TRANSFER, "{\"source_endpoint\": \"" + SRC + "\", \"destination_endpoint\": \"" + DST + "\","
        + " \"DATA\": [{\"source_path\": \"" + sourcePath + "\", \"destination_path\": \"" + destinationPath + "\""
        + (recursive == null ? "" : ", \"recursive\": " + recursive) + "}]" + (extra.isEmpty() ? "" : ", " + extra)
        + "}");
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private List<String> tree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void friBFilterRulesCopyOnlyTheEvtSegmentsOfTheRunAtEveryDepth() throws Exception {
    write(src.resolve("run1217/run-1217-00.evt"), "segment 0");
    write(src.resolve("run1217/run-1217-01.evt"), "segment 1");
    write(src.resolve("run1217/notes.txt"), "not data");
    write(src.resolve("run1217/sub/run-1217-02.evt"), "segment 2");
    write(src.resolve("run1217/sub/scaler.dat"), "not data");

    ActionStatus status = transfer("/run1217", "/rawdata/run1217", "true",
        "\"filter_rules\": [{\"DATA_TYPE\": \"filter_rule\", \"method\": \"include\", \"type\": \"file\","
            + " \"name\": \"*.evt\"}, {\"DATA_TYPE\": \"filter_rule\", \"method\": \"exclude\", \"type\": \"file\","
            + " \"name\": \"*\"}]");

    assertEquals(ActionStatus.SUCCEEDED, status.status());
    assertEquals(List.of("run-1217-00.evt", "run-1217-01.evt", "sub/run-1217-02.evt"),
        tree(dst.resolve("rawdata/run1217")));
    JsonNode task = status.details();
    assertEquals("task", task.path("DATA_TYPE").asText());
    assertEquals("SUCCEEDED", task.path("status").asText());
    assertEquals(3, task.path("files_transferred").asInt());
    assertEquals(3, task.path("files").asInt());
    assertEquals(0, task.path("files_skipped").asInt());
    assertEquals("segment 0segment 1segment 2".length(), task.path("bytes_transferred").asLong());
    assertEquals(status.actionId(), task.path("task_id").asText());
  }

  @Test
  void theFirstMatchingRuleDecidesSoOrderMatters() throws Exception {
    write(src.resolve("d/a.evt"), "a");
    write(src.resolve("d/b.txt"), "b");

    transfer("/d", "/excluded-first", "true", "\"filter_rules\": [{\"method\": \"exclude\", \"name\": \"*.evt\"},"
        + " {\"method\": \"include\", \"name\": \"*.evt\"}]");
    transfer("/d", "/included-first", "true", "\"filter_rules\": [{\"method\": \"include\", \"name\": \"*.evt\"},"
        + " {\"method\": \"exclude\", \"name\": \"*.evt\"}]");

    assertEquals(List.of("b.txt"), tree(dst.resolve("excluded-first")));
    assertEquals(List.of("a.evt", "b.txt"), tree(dst.resolve("included-first")));
  }

  @Test
  void anExcludedDirectoryIsNotEnteredEvenForFilesARuleWouldInclude() throws Exception {
    write(src.resolve("d/logs/x.evt"), "in an excluded directory");
    write(src.resolve("d/data/y.evt"), "y");
    write(src.resolve("d/z.txt"), "z");

    transfer("/d", "/out", "true", "\"filter_rules\": [{\"method\": \"exclude\", \"type\": \"dir\", \"name\":"
        + " \"logs\"}, {\"method\": \"include\", \"type\": \"file\", \"name\": \"*.evt\"},"
        + " {\"method\": \"exclude\", \"type\": \"file\", \"name\": \"*\"}]");

    assertEquals(List.of("data/y.evt"), tree(dst.resolve("out")));
    assertFalse(Files.exists(dst.resolve("out/logs")));
  }

  @Test
  void anUntypedRuleMatchesDirectoriesToo() throws Exception {
    write(src.resolve("d/data/y.evt"), "y");
    write(src.resolve("d/top.evt"), "t");

    transfer("/d", "/out", "true", "\"filter_rules\": [{\"method\": \"include\", \"name\": \"*.evt\"},"
        + " {\"method\": \"exclude\", \"name\": \"*\"}]");

    assertEquals(List.of("top.evt"), tree(dst.resolve("out")));
  }

  @Test
  void dirRulesMatchDirectoriesOnlyAndFileRulesFilesOnly() throws Exception {
    write(src.resolve("d/cache/x.evt"), "x");
    write(src.resolve("d/keep/cache"), "a file named cache");
    write(src.resolve("d/keep/y.evt"), "y");

    transfer("/d", "/out", "true", "\"filter_rules\": [{\"method\": \"exclude\", \"type\": \"dir\", \"name\":"
        + " \"cache\"}]");

    assertEquals(List.of("keep/cache", "keep/y.evt"), tree(dst.resolve("out")));
  }

  @Test
  void syncLevelZeroCopiesOnlyWhatIsAbsent() throws Exception {
    write(src.resolve("d/old.evt"), "new content");
    write(src.resolve("d/new.evt"), "n");
    write(dst.resolve("out/old.evt"), "old");

    ActionStatus status = transfer("/d", "/out", "true", "\"sync_level\": 0");

    assertEquals("old", Files.readString(dst.resolve("out/old.evt")));
    assertEquals("n", Files.readString(dst.resolve("out/new.evt")));
    assertEquals(1, status.details().path("files_skipped").asInt());
    assertEquals(1, status.details().path("files_transferred").asInt());
    assertEquals(2, status.details().path("files").asInt());
    assertEquals(0, status.details().path("sync_level").asInt());
  }

  @Test
  void syncLevelOneCopiesWhenTheSizesDiffer() throws Exception {
    write(src.resolve("d/same-size.evt"), "abc");
    write(src.resolve("d/other-size.evt"), "abcd");
    write(dst.resolve("out/same-size.evt"), "xyz");
    write(dst.resolve("out/other-size.evt"), "x");

    ActionStatus status = transfer("/d", "/out", "true", "\"sync_level\": 1");

    assertEquals("xyz", Files.readString(dst.resolve("out/same-size.evt")));
    assertEquals("abcd", Files.readString(dst.resolve("out/other-size.evt")));
    assertEquals(1, status.details().path("files_skipped").asInt());
  }

  @Test
  void syncLevelTwoCopiesWhenTheSourceIsNewer() throws Exception {
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    write(src.resolve("d/newer.evt"), "source");
    write(src.resolve("d/older.evt"), "source");
    write(dst.resolve("out/newer.evt"), "destination");
    write(dst.resolve("out/older.evt"), "destination");
    Files.setLastModifiedTime(src.resolve("d/newer.evt"), FileTime.from(now));
    Files.setLastModifiedTime(dst.resolve("out/newer.evt"), FileTime.from(now.minusSeconds(60)));
    Files.setLastModifiedTime(src.resolve("d/older.evt"), FileTime.from(now.minusSeconds(60)));
    Files.setLastModifiedTime(dst.resolve("out/older.evt"), FileTime.from(now));

    ActionStatus status = transfer("/d", "/out", "true", "\"sync_level\": 2");

    assertEquals("source", Files.readString(dst.resolve("out/newer.evt")));
    assertEquals("destination", Files.readString(dst.resolve("out/older.evt")));
    assertEquals(1, status.details().path("files_skipped").asInt());
  }

  @Test
  void syncLevelThreeCopiesWhenTheChecksumsDifferEvenAtTheSameSizeAndTime() throws Exception {
    FileTime time = FileTime.from(Instant.parse("2026-12-01T10:00:00Z"));
    write(src.resolve("d/changed.evt"), "abc");
    write(src.resolve("d/same.evt"), "same");
    write(dst.resolve("out/changed.evt"), "xyz");
    write(dst.resolve("out/same.evt"), "same");
    for (Path p : List.of(src.resolve("d/changed.evt"), src.resolve("d/same.evt"), dst.resolve("out/changed.evt"),
        dst.resolve("out/same.evt"))) {
      Files.setLastModifiedTime(p, time);
    }

    ActionStatus status = transfer("/d", "/out", "true", "\"sync_level\": 3");

    assertEquals("abc", Files.readString(dst.resolve("out/changed.evt")));
    assertEquals(1, status.details().path("files_transferred").asInt());
    assertEquals(1, status.details().path("files_skipped").asInt());
    assertTrue(status.details().path("bytes_checksummed").asLong() > 0);
  }

  @Test
  void withoutASyncLevelEveryFileIsCopiedAgain() throws Exception {
    write(src.resolve("d/a.evt"), "new");
    write(dst.resolve("out/a.evt"), "new");

    ActionStatus status = transfer("/d", "/out", "true", "");

    assertEquals(1, status.details().path("files_transferred").asInt());
    assertEquals(0, status.details().path("files_skipped").asInt());
  }

  @Test
  void copiesKeepTheSourceModificationTimeSoASecondMtimeSyncSkipsThem() throws Exception {
    write(src.resolve("d/a.evt"), "data");
    FileTime then = FileTime.from(Instant.parse("2020-01-02T03:04:05Z"));
    Files.setLastModifiedTime(src.resolve("d/a.evt"), then);

    transfer("/d", "/out", "true", "\"sync_level\": 2");
    ActionStatus again = transfer("/d", "/out", "true", "\"sync_level\": 2");

    assertEquals(then, Files.getLastModifiedTime(dst.resolve("out/a.evt")));
    assertEquals(1, again.details().path("files_skipped").asInt());
  }

  @Test
  void aFileItemBecomesTheDestinationPathWithItsParentsMade() throws Exception {
    write(src.resolve("analyzed/run-1217-sorted.root"), "sorted");

    ActionStatus status = transfer("/analyzed/run-1217-sorted.root", "/nersc_analysis/deep/run-1217-sorted.root",
        "false", "\"sync_level\": 3, \"verify_checksum\": true");

    assertEquals(ActionStatus.SUCCEEDED, status.status());
    assertEquals("sorted", Files.readString(dst.resolve("nersc_analysis/deep/run-1217-sorted.root")));
    assertEquals(List.of("nersc_analysis/deep/run-1217-sorted.root"), tree(dst));
  }

  @Test
  void aFileItemIsNotFilteredAndRecursiveLeftOutFollowsTheSource() throws Exception {
    write(src.resolve("a.txt"), "a");
    write(src.resolve("d/b.txt"), "b");
    String excludeAll = "\"filter_rules\": [{\"method\": \"exclude\", \"name\": \"*\"}]";

    assertEquals(ActionStatus.SUCCEEDED, transfer("/a.txt", "/a.txt", null, excludeAll).status());
    assertEquals(ActionStatus.SUCCEEDED, transfer("/d", "/d", null, "").status());

    assertEquals(List.of("a.txt", "d/b.txt"), tree(dst));
  }

  @Test
  void recursiveMustMatchWhatTheSourceIs() throws Exception {
    write(src.resolve("a.txt"), "a");
    write(src.resolve("d/b.txt"), "b");

    ActionStatus fileAsDir = transfer("/a.txt", "/x", "true", "");
    ActionStatus dirAsFile = transfer("/d", "/y", "false", "");

    assertEquals(ActionStatus.FAILED, fileAsDir.status());
    assertEquals("NOT_A_DIRECTORY", fileAsDir.details().path("fatal_error").path("code").asText());
    assertEquals(ActionStatus.FAILED, dirAsFile.status());
    assertEquals("IS_A_DIRECTORY", dirAsFile.details().path("fatal_error").path("code").asText());
    assertEquals(List.of(), tree(dst));
  }

  @Test
  void aMissingSourceFailsTheTaskNamingThePath() throws Exception {
    ActionStatus status = transfer("/rawdata/run9999", "/rawdata/run9999", "true", "");

    assertEquals(ActionStatus.FAILED, status.status());
    JsonNode task = status.details();
    assertEquals("FAILED", task.path("status").asText());
    assertEquals("FILE_NOT_FOUND", task.path("fatal_error").path("code").asText());
    String description = task.path("fatal_error").path("description").asText();
    assertTrue(description.contains("/rawdata/run9999") && description.contains(SRC), description);
    assertTrue(progress.stream().anyMatch(l -> l.contains("/rawdata/run9999")), progress.toString());
  }

  @Test
  void deleteDestinationExtraRemovesWhatTheSourceNoLongerHas() throws Exception {
    write(src.resolve("d/keep.evt"), "k");
    write(dst.resolve("out/keep.evt"), "old");
    write(dst.resolve("out/stale.evt"), "s");
    write(dst.resolve("out/stale-dir/x"), "x");

    transfer("/d", "/out", "true", "\"delete_destination_extra\": true");

    assertEquals(List.of("keep.evt"), tree(dst.resolve("out")));
    assertFalse(Files.exists(dst.resolve("out/stale-dir")));
  }

  @Test
  void anInterruptedTransferStopsAndLeavesNoPartFile() throws Exception {
    write(src.resolve("d/a.evt"), "a".repeat(3 << 20));
    write(src.resolve("d/b.evt"), "b");

    Thread.currentThread().interrupt();
    try {
      assertThrows(InterruptedException.class, () -> transfer("/d", "/out", "true", ""));
    } finally {
      Thread.interrupted();
    }

    assertEquals(List.of(), tree(dst));
  }

  @Test
  void theRetiredUrlsAndTheirParameterNamesStillWork() throws Exception {
    write(src.resolve("d/a.evt"), "a");

    ActionStatus status = run("https://actions.automate.globus.org/transfer/transfer", "{\"source_endpoint_id\": \""
        + SRC + "\", \"destination_endpoint_id\": \"" + DST + "\", \"transfer_items\": [{\"source_path\": \"/d\","
        + " \"destination_path\": \"/d\", \"recursive\": true}]}");

    assertEquals(ActionStatus.SUCCEEDED, status.status());
    assertEquals(List.of("d/a.evt"), tree(dst));
  }

  @Test
  void mkdirMakesADirectoryAndFailsOnAnExistingOneAsTransferDoes() throws Exception {
    String mkdir = "https://transfer.actions.globus.org/mkdir";
    String parameters = "{\"endpoint_id\": \"" + DST + "\", \"path\": \"/rawdata\"}";

    ActionStatus first = run(mkdir, parameters);
    ActionStatus second = run(mkdir, parameters);

    assertEquals(ActionStatus.SUCCEEDED, first.status());
    assertEquals("DirectoryCreated", first.details().path("code").asText());
    assertTrue(Files.isDirectory(dst.resolve("rawdata")));
    assertEquals(ActionStatus.FAILED, second.status());
    assertEquals("ExternalError.MkdirFailed.Exists", second.details().path("code").asText());
    assertTrue(second.details().path("message").asText().contains("/rawdata"));
  }

  @Test
  void mkdirMakesOneLevelOnly() throws Exception {
    ActionStatus status = run("https://transfer.actions.globus.org/mkdir", "{\"endpoint_id\": \"" + DST + "\","
        + " \"path\": \"/a/b\"}");

    assertEquals(ActionStatus.FAILED, status.status());
    assertFalse(Files.exists(dst.resolve("a")));
  }

  @Test
  void statSaysWhatAPathIsInTheFieldsTheShippedChoicesRead() throws Exception {
    write(dst.resolve("fitted/run1217/x.evt"), "12345");
    String stat = "https://transfer.actions.globus.org/stat";

    ActionStatus dir = run(stat, "{\"endpoint_id\": \"" + DST + "\", \"path\": \"/fitted/run1217\"}");
    ActionStatus file = run(stat, "{\"endpoint_id\": \"" + DST + "\", \"path\": \"/fitted/run1217/x.evt\"}");
    ActionStatus missing = run(stat, "{\"endpoint_id\": \"" + DST + "\", \"path\": \"/fitted/run9999\"}");

    assertEquals(ActionStatus.SUCCEEDED, dir.status());
    assertEquals("dir", dir.details().path("type").asText());
    assertEquals("run1217", dir.details().path("name").asText());
    assertEquals("file", file.details().path("type").asText());
    assertEquals(5, file.details().path("size").asInt());
    assertTrue(file.details().path("last_modified").asText()
        .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\+00:00"));
    assertFalse(dir.details().has("code"));
    assertEquals(ActionStatus.FAILED, missing.status());
    assertEquals("NotFound", missing.details().path("code").asText());
  }

  @Test
  void lsListsEntriesAndAppliesItsFilter() throws Exception {
    write(dst.resolve("top/b.evt"), "bb");
    write(dst.resolve("top/a.txt"), "a");
    Files.createDirectories(dst.resolve("top/sub"));
    String ls = "https://transfer.actions.globus.org/ls";

    ActionStatus all = run(ls, "{\"endpoint_id\": \"" + DST + "\", \"path\": \"/top\"}");
    ActionStatus files = run(ls, "{\"endpoint_id\": \"" + DST + "\", \"path\": \"/top\","
        + " \"filter\": \"type:file/name:~*.evt\"}");
    ActionStatus nothing = run("https://actions.globus.org/transfer/ls", "{\"endpoint_id\": \"" + DST + "\","
        + " \"path\": \"/top\", \"filter\": \"name:!~*/type:dir\"}");
    ActionStatus missing = run(ls, "{\"endpoint_id\": \"" + DST + "\", \"path\": \"/nope\"}");

    assertEquals("file_list", all.details().path("DATA_TYPE").asText());
    List<String> names = new ArrayList<>();
    all.details().path("DATA").forEach(e -> names.add(e.path("name").asText() + ":" + e.path("type").asText()));
    assertEquals(List.of("a.txt:file", "b.evt:file", "sub:dir"), names);
    assertEquals(1, files.details().path("DATA").size());
    assertEquals("b.evt", files.details().path("DATA").get(0).path("name").asText());
    assertEquals(ActionStatus.SUCCEEDED, nothing.status());
    assertEquals(0, nothing.details().path("DATA").size());
    assertEquals(ActionStatus.FAILED, missing.status());
  }

  @Test
  void deleteRemovesFilesAndDirectoriesOnlyWhenRecursive() throws Exception {
    write(dst.resolve("x/y/z.evt"), "z");
    write(dst.resolve("f.evt"), "f");
    String delete = "https://transfer.actions.globus.org/delete";

    ActionStatus notRecursive = run(delete, "{\"endpoint\": \"" + DST + "\", \"DATA\": [{\"path\": \"/x\"}]}");
    ActionStatus recursive = run(delete, "{\"endpoint\": \"" + DST + "\", \"recursive\": true, \"DATA\":"
        + " [{\"path\": \"/x\"}, {\"path\": \"/f.evt\"}]}");
    ActionStatus missing = run(delete, "{\"endpoint\": \"" + DST + "\", \"DATA\": [{\"path\": \"/gone\"}]}");

    assertEquals(ActionStatus.FAILED, notRecursive.status());
    assertEquals(ActionStatus.SUCCEEDED, recursive.status());
    assertEquals("DELETE", recursive.details().path("type").asText());
    assertEquals(List.of(), tree(dst));
    assertFalse(Files.exists(dst.resolve("x")));
    assertEquals(ActionStatus.FAILED, missing.status());
    assertEquals("FILE_NOT_FOUND", missing.details().path("fatal_error").path("code").asText());
  }

  @Test
  void anUnknownCollectionCannotRunAndTheMessageNamesTheKnownOnes() throws Exception {
    ActionUnableToRunException e = assertThrows(ActionUnableToRunException.class,
        () -> run("https://transfer.actions.globus.org/mkdir",
            "{\"endpoint_id\": \"00000000-0000-0000-0000-000000000000\", \"path\": \"/x\"}"));

    assertTrue(e.getMessage().contains("00000000-0000-0000-0000-000000000000"), e.getMessage());
    assertTrue(e.getMessage().contains(SRC) && e.getMessage().contains(DST), e.getMessage());
  }

  @Test
  void pathsThatLeaveTheCollectionAreRefused() throws Exception {
    write(tmp.resolve("secret/key"), "do not copy");
    Files.createSymbolicLink(src.resolve("link-out"), tmp.resolve("secret"));

    ActionUnableToRunException dotDot = assertThrows(ActionUnableToRunException.class,
        () -> transfer("/../secret/key", "/key", "false", ""));
    ActionUnableToRunException link = assertThrows(ActionUnableToRunException.class,
        () -> transfer("/link-out/key", "/key", "false", ""));
    ActionUnableToRunException relative = assertThrows(ActionUnableToRunException.class,
        () -> transfer("secret/key", "/key", "false", ""));

    assertTrue(dotDot.getMessage().contains(".."), dotDot.getMessage());
    assertTrue(link.getMessage().contains("symbolic link"), link.getMessage());
    assertTrue(relative.getMessage().contains("relative"), relative.getMessage());
    assertEquals(List.of(), tree(dst));
  }

  @Test
  void dotDotInsideTheCollectionIsResolvedAndAllowed() throws Exception {
    write(src.resolve("a/x.evt"), "x");

    assertEquals(ActionStatus.SUCCEEDED, transfer("/b/../a/x.evt", "/y.evt", "false", "").status());

    assertEquals("x", Files.readString(dst.resolve("y.evt"), StandardCharsets.UTF_8));
  }

  @Test
  void aMissingParameterCannotRun() {
    ActionUnableToRunException e = assertThrows(ActionUnableToRunException.class,
        () -> run(TRANSFER, "{\"source_endpoint\": \"" + SRC + "\", \"DATA\": []}"));

    assertTrue(e.getMessage().contains("destination_endpoint"), e.getMessage());
  }

  @Test
  void collectionInfoDescribesALocalDirectoryAsAnUnsubscribedMappedCollection() throws Exception {
    ActionStatus status = run("https://transfer.actions.globus.org/collection_info", "{\"endpoint_id\": \"" + SRC
        + "\"}");

    assertEquals(ActionStatus.SUCCEEDED, status.status());
    assertEquals("GCSv5_mapped_collection", status.details().path("entity_type").asText());
    assertTrue(status.details().path("subscription_id").isNull());
  }

  @Test
  void theFribRawDataParametersRunAsTheFlowPassesThem() throws Exception {
    write(src.resolve("e21062_2/rawdata/run1217/run-1217-00.evt"), "segment");
    write(src.resolve("e21062_2/rawdata/run1217/run1217.settle"), "not data");

    ActionStatus status = run(TRANSFER, "{\"source_endpoint\": \"" + SRC + "\", \"destination_endpoint\": \""
        + DST + "\", \"DATA\": [{\"source_path\": \"/e21062_2/rawdata/run1217\", \"destination_path\":"
        + " \"/e21062_flows/rawdata/run1217\", \"recursive\": true}], \"filter_rules\": [{\"DATA_TYPE\":"
        + " \"filter_rule\", \"method\": \"include\", \"type\": \"file\", \"name\": \"*.evt\"}, {\"DATA_TYPE\":"
        + " \"filter_rule\", \"method\": \"exclude\", \"type\": \"file\", \"name\": \"*\"}], \"sync_level\": 3,"
        + " \"verify_checksum\": true, \"notify_on_succeeded\": false, \"notify_on_failed\": true,"
        + " \"notify_on_inactive\": true}");

    assertEquals(ActionStatus.SUCCEEDED, status.status(), status.details().toString());
    assertEquals(List.of("run-1217-00.evt"), tree(dst.resolve("e21062_flows/rawdata/run1217")));
    assertTrue(status.details().path("verify_checksum").asBoolean());
    assertEquals(3, status.details().path("sync_level").asInt());
  }

  @Test
  void aLinkInTheDestinationIsNotWrittenThrough() throws Exception {
    write(src.resolve("d/sub/a.evt"), "a");
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createDirectories(dst.resolve("out"));
    Files.createSymbolicLink(dst.resolve("out/sub"), outside);

    ActionStatus status = transfer("/d", "/out", "true", "");

    assertEquals(ActionStatus.FAILED, status.status());
    assertTrue(status.details().path("fatal_error").path("description").asText().contains("symbolic link"));
    assertEquals(List.of(), tree(outside));
  }

  @Test
  void collectionIdsMatchInEitherCase() throws Exception {
    write(src.resolve("a.evt"), "a");

    ActionStatus status = run(TRANSFER, "{\"source_endpoint\": \"" + SRC.toUpperCase() + "\","
        + " \"destination_endpoint\": \"" + DST + "\", \"DATA\": [{\"source_path\": \"/a.evt\","
        + " \"destination_path\": \"/a.evt\"}]}");

    assertEquals(ActionStatus.SUCCEEDED, status.status());
  }

  @Test
  void aDirectoryIsNotCopiedIntoItself() throws Exception {
    write(src.resolve("d/a.evt"), "a");

    ActionStatus status = run(TRANSFER, "{\"source_endpoint\": \"" + SRC + "\", \"destination_endpoint\": \""
        + SRC + "\", \"DATA\": [{\"source_path\": \"/d\", \"destination_path\": \"/d/copy\", \"recursive\": true}]}");

    assertEquals(ActionStatus.FAILED, status.status());
    assertEquals(List.of("d/a.evt"), tree(src));
  }
}
