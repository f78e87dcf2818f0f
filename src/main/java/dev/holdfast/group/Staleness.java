package dev.holdfast.group;

import dev.holdfast.engine.ContainerView;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Whether a member is in its holder's current namespace, and if not, why. Pure. */
final class Staleness {

  /**
   * How long before its holder stopped a member may have stopped and still count as lost with it.
   */
  static final Duration NAMESPACE_LOSS_WINDOW = Duration.ofMinutes(5);

  private Staleness() {}

  /** Why a member is not in the holder's current namespace, or empty when it is. */
  static Optional<String> of(ContainerView c, ContainerView holder, GroupDiscovery.Index index) {
    if (holder == null) {
      return Optional.of("the group's holder is gone");
    }
    Optional<String> ref = c.namespaceRef();
    if (ref.isEmpty()) {
      return Optional.of("network mode " + c.networkMode() + " is not the holder's namespace");
    }
    Optional<ContainerView> target = index.resolve(ref.get());
    if (target.isEmpty() || !target.get().id().equals(holder.id())) {
      return Optional.of(
          "joined container:"
              + abbreviate(ref.get())
              + ", but the holder is now "
              + holder.shortId());
    }
    if (!c.running() && holder.running() && stoppedWithTheNamespace(c, holder)) {
      return Optional.of(
          "stopped at "
              + c.finishedAt()
              + " when the holder's namespace went away (holder stopped at "
              + holder.finishedAt()
              + ", started again at "
              + holder.startedAt()
              + ")");
    }
    if (c.running() && c.startedAt().isBefore(holder.startedAt())) {
      return Optional.of(
          "the holder restarted at "
              + holder.startedAt()
              + ", after the member started at "
              + c.startedAt());
    }
    return Optional.empty();
  }

  /**
   * A stopped member that went down with its holder (an engine restart, a holder stop) rather than
   * by an operator's hand long before: it stopped while the holder was down or shortly before the
   * holder stopped, and the holder has run again since.
   */
  static boolean stoppedWithTheNamespace(ContainerView c, ContainerView holder) {
    if (c.finishedAt().equals(Instant.EPOCH) || holder.finishedAt().equals(Instant.EPOCH)) {
      return false;
    }
    return !c.finishedAt().isAfter(holder.startedAt())
        && !c.finishedAt().isBefore(holder.finishedAt().minus(NAMESPACE_LOSS_WINDOW));
  }

  private static String abbreviate(String ref) {
    return ref.length() > 12 && ref.matches("[0-9a-f]+") ? ref.substring(0, 12) : ref;
  }
}
