package dev.holdfast.http;

import dev.holdfast.group.Group;
import dev.holdfast.run.GroupService;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether Watchtower may update a container itself: never a holder or a member of a group holdfast
 * manages (holdfast updates members safely, holders never); anything else, yes. Asked by
 * Watchtower's pre-update lifecycle hook before every update, so it answers from the group snapshot
 * the hooks match against rather than asking the engine each time.
 */
record PreUpdateVeto(GroupService groups) {

  /** As old as the snapshot the registry hooks and Watchtower's notices match against. */
  private static final Duration SNAPSHOT_AGE = Duration.ofSeconds(2);

  /**
   * @param group the group the container belongs to
   * @param role holder or member
   * @param reason why holdfast keeps Watchtower off it
   */
  record Refusal(String group, String role, String reason) {}

  /** Why Watchtower must leave the container alone; empty when it may update it. */
  Optional<Refusal> refusal(String container) {
    for (Group g : groups.recent(SNAPSHOT_AGE)) {
      if (g.holder().filter(h -> named(h.name(), h.id(), container)).isPresent()) {
        return Optional.of(
            new Refusal(
                g.name(),
                "holder",
                "the holder of group " + g.name() + "; holders are never updated"));
      }
      if (g.members().stream().anyMatch(m -> named(m.name(), m.container().id(), container))) {
        return Optional.of(
            new Refusal(
                g.name(),
                "member",
                "a member of group "
                    + g.name()
                    + "; holdfast updates it safely (withdraw, recreate, gate, announce)"));
      }
    }
    return Optional.empty();
  }

  /** A name, or an id of at least 12 hex digits ({@code $(hostname)} inside a container). */
  private static boolean named(String name, String id, String asked) {
    return name.equals(asked)
        || (asked.length() >= 12 && asked.matches("[0-9a-f]+") && id.startsWith(asked));
  }
}
