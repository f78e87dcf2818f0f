package dev.holdfast.dispatch;

import dev.holdfast.probe.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Groups whose heal waits for another tool to finish (Compose replacing the holder, a member being
 * stopped): since when, why, and whether the wait outlasted its limit. The healer keeps it; the
 * status shows it.
 */
public final class Waits {

  /**
   * @param since when the group was first seen waiting
   * @param why what it waits for, as last seen
   * @param overdue whether it waited longer than allowed (the group is healed anyway, or stays
   *     degraded when it cannot be)
   * @param limit how long it may wait
   */
  public record Wait(Instant since, List<String> why, boolean overdue, Duration limit) {

    public Wait {
      why = List.copyOf(why);
    }

    /** One line for the status. */
    public String describe() {
      return (overdue
              ? "waited longer than " + Durations.format(limit) + " (since " + since + ") for: "
              : "members wait (since " + since + ", at most " + Durations.format(limit) + ") for: ")
          + String.join("; ", why);
    }
  }

  private final Map<String, Wait> waits = new ConcurrentHashMap<>();

  /** Records that the group waits now for these reasons; keeps when it began. */
  Wait waiting(String group, Instant now, List<String> why, Duration limit) {
    return waits.compute(
        group,
        (g, w) -> {
          Instant since = w == null ? now : w.since();
          return new Wait(since, why, !now.isBefore(since.plus(limit)), limit);
        });
  }

  void done(String group) {
    waits.remove(group);
  }

  public Optional<Wait> of(String group) {
    return Optional.ofNullable(waits.get(group));
  }
}
