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
      group.holder().ifPresent(h -> holders.put(h.id(), new Remembered(group.name(), h.name())));
    }
  }

  @Override
  public Optional<Remembered> holder(String holderId) {
    Remembered exact = holders.get(holderId);
    if (exact != null) {
      return Optional.of(exact);
    }
    // container:<ref> may hold a short id
    return holders.entrySet().stream()
        .filter(e -> holderId.length() >= 12 && e.getKey().startsWith(holderId))
        .map(Map.Entry::getValue)
        .findFirst();
  }
}
