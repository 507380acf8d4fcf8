package org.flowwatch.globus.transfer;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Wire form of a directory listing ({@code DATA_TYPE: file_list}); only what flowwatch reads. */
record FileListResponse(
    @JsonProperty("DATA_TYPE") String dataType,
    String path,
    String absolutePath,
    Integer total,
    @JsonProperty("DATA") List<Entry> data) {

  /** One directory entry ({@code DATA_TYPE: file}). */
  record Entry(String name, String type) {}
}
