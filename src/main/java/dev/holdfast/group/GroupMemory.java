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
}
