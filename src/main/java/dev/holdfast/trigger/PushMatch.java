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
import java.util.concurrent.ConcurrentHashMap;

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

  /**
   * References seen on containers, parsed once: every push is matched against every member, and a
   * registry serving CI sends many. Bounded: cleared when full (the engine's references are few).
   */
  private static final Map<String, Optional<ImageName>> PARSED = new ConcurrentHashMap<>();

  private static final int MAX_PARSED = 4096;

  private static Optional<ImageName> name(String reference) {
    if (reference == null) {
      return Optional.empty();
    }
    Optional<ImageName> known = PARSED.get(reference);
    if (known != null) {
      return known;
    }
    Optional<ImageName> parsed;
    try {
      parsed = Optional.of(ImageName.parse(reference));
    } catch (IllegalArgumentException e) {
      parsed =
          Optional.empty(); // an image id or a reference the engine accepted but we cannot read
    }
    if (PARSED.size() >= MAX_PARSED) {
      PARSED.clear();
    }
    PARSED.put(reference, parsed);
    return parsed;
  }
}
