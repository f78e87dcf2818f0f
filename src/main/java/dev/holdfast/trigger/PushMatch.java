package dev.holdfast.trigger;

import dev.holdfast.group.Group;
import dev.holdfast.group.Member;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which group members run the reference a push names. A push never introduces an image: it only
 * selects members whose own configured reference is the pushed repository and tag, and the run
 * re-pulls that reference. Holders are never selected (holdfast never updates a holder), nor are
 * members pinned by digest (a re-pull cannot change them).
 */
public final class PushMatch {

  private PushMatch() {}

  /**
   * @param groups per group name, the members to update (in group order)
   * @param notes why containers that run the pushed repository are left alone
   */
  public record Result(Map<String, Set<String>> groups, List<String> notes) {}

  public static Result match(ImageName pushed, List<Group> groups) {
    Map<String, Set<String>> selected = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    for (Group g : groups) {
      g.holder()
          .flatMap(h -> name(h.image()))
          .filter(n -> n.sameRepository(pushed) && n.tag().equals(pushed.tag()))
          .ifPresent(
              n ->
                  notes.add(
                      "holder of group "
                          + g.name()
                          + " runs "
                          + n
                          + "; holders are never updated"));
      for (Member m : g.members()) {
        Optional<ImageName> configured = name(m.imageRef());
        if (configured.isEmpty() || !configured.get().sameRepository(pushed)) {
          continue;
        }
        ImageName c = configured.get();
        if (!c.digest().isEmpty()) {
          notes.add(m.name() + " is pinned to " + c.digest() + "; a push cannot change it");
        } else if (c.tag().equals(pushed.tag())) {
          selected.computeIfAbsent(g.name(), k -> new LinkedHashSet<>()).add(m.name());
        }
      }
    }
    return new Result(selected, notes);
  }

  private static Optional<ImageName> name(String reference) {
    try {
      return Optional.of(ImageName.parse(reference));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // an image id or a reference the engine accepted but we cannot read
    }
  }
}
