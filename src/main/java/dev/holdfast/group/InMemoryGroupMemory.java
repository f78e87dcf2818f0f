package dev.holdfast.group;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Group memory for one process lifetime. */
public final class InMemoryGroupMemory implements GroupMemory {

  private final Map<String, Remembered> holders = new ConcurrentHashMap<>();

  @Override
  public void remember(List<Group> groups) {
    for (Group group : groups) {
      group.holder().ifPresent(h -> holders.put(h.id(), Remembered.of(group, h)));
    }
  }

  @Override
  public Optional<Remembered> holder(String holderId) {
    return GroupMemory.find(holders, holderId);
  }
}
