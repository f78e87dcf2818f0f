package dev.holdfast.group;

import java.util.List;
import java.util.Optional;

/**
 * What holdfast remembers of groups it saw, so that members left behind by a removed, unlabelled
 * holder can still be placed in their group.
 */
public interface GroupMemory {

  /** The group and holder name of a (possibly removed) holder id. */
  record Remembered(String group, String holderName) {}

  void remember(List<Group> groups);

  Optional<Remembered> holder(String holderId);

  /**
   * The remembered holder by full id, or by an id prefix of at least 12 characters ({@code
   * container:<ref>} may hold a short id): the one lookup every memory shares.
   */
  static Optional<Remembered> find(java.util.Map<String, Remembered> holders, String holderId) {
    Remembered exact = holders.get(holderId);
    if (exact != null || holderId.length() < 12) {
      return Optional.ofNullable(exact);
    }
    return holders.entrySet().stream()
        .filter(e -> e.getKey().startsWith(holderId))
        .map(java.util.Map.Entry::getValue)
        .findFirst();
  }
}
