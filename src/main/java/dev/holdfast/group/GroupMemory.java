package dev.holdfast.group;

import java.util.List;
import java.util.Optional;

/**
 * What holdfast remembers of groups it saw, so that members left behind by a removed, unlabelled
 * holder can still be placed in their group.
 */
public interface GroupMemory {

  /**
   * Who a (possibly removed) holder was: its group, its name (never Compose's temporary one) and,
   * when Compose managed it, its {@code <project>/<service>}, which ties a new holder to the group
   * it replaces.
   *
   * @param composeService {@code <project>/<service>}, or null when Compose did not manage it
   */
  record Remembered(String group, String holderName, String composeService) {

    public Remembered(String group, String holderName) {
      this(group, holderName, null);
    }

    /** What to remember of a group's current holder. */
    public static Remembered of(Group group, dev.holdfast.engine.ContainerView holder) {
      return new Remembered(
          group.name(),
          ComposeLabels.finalName(holder),
          ComposeLabels.service(holder).orElse(null));
    }
  }

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
