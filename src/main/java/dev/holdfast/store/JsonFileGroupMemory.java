package dev.holdfast.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.group.Group;
import dev.holdfast.group.GroupMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group memory kept in {@code groups.json} under the data directory, so that members of a holder
 * removed while holdfast was down are still placed in their group. Written atomically (temp file
 * and rename) whenever it changes.
 */
public final class JsonFileGroupMemory implements GroupMemory {

  private static final Logger log = LoggerFactory.getLogger(JsonFileGroupMemory.class);

  private final Path file;
  private final ObjectMapper json;
  private final Map<String, Remembered> holders = new HashMap<>();

  public JsonFileGroupMemory(Path file, ObjectMapper json) {
    this.file = file;
    this.json = json;
    if (Files.exists(file)) {
      try {
        holders.putAll(
            json.readValue(file.toFile(), new TypeReference<Map<String, Remembered>>() {}));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read group memory " + file + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public synchronized void remember(List<Group> groups) {
    Map<String, Remembered> before = new HashMap<>(holders);
    for (Group g : groups) {
      g.holder().ifPresent(h -> holders.put(h.id(), Remembered.of(g, h)));
    }
    if (!holders.equals(before)) {
      save();
    }
  }

  @Override
  public synchronized Optional<Remembered> holder(String holderId) {
    return GroupMemory.find(holders, holderId);
  }

  private void save() {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      json.writeValue(tmp.toFile(), holders);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // memory is a fallback for unlabelled groups; losing one write only delays a heal
      log.warn("cannot write group memory {}: {}", file, e.getMessage());
    }
  }
}
