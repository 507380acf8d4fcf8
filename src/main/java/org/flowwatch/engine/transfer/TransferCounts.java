package org.flowwatch.engine.transfer;

/** What a transfer did so far, in the task document's terms; one per task, filled in as it runs. */
final class TransferCounts {
  long files;
  long directories;
  long filesTransferred;
  long filesSkipped;
  long bytesTransferred;
  long deleted;

  String summary() {
    return "transferred " + filesTransferred + " file" + (filesTransferred == 1 ? "" : "s") + " ("
        + bytesTransferred + " bytes), skipped " + filesSkipped + " already in sync"
        + (deleted > 0 ? ", deleted " + deleted + " extra" : "");
  }
}
