package dev.holdfast.dispatch;

import dev.holdfast.group.Group;
import dev.holdfast.group.Member;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.run.Coordinator;
import dev.holdfast.run.GroupService;
import dev.holdfast.run.RefusedException;
import dev.holdfast.run.Run;
import dev.holdfast.run.RunRequest;
import dev.holdfast.run.RunState;
import dev.holdfast.trigger.ImageName;
import dev.holdfast.trigger.WatchtowerMatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watchtower's {@code /v1/update}, done safely: the members matching the image filters (or every
 * member, without filters) get the safe update of their group, one run per group, and the caller
 * gets a summary. Like the maintained fork, an untargeted update while another one runs is refused
 * rather than queued.
 */
public final class UpdateSessions {

  private final GroupService groups;
  private final Coordinator coordinator;
  private final Clock clock;
  private final AtomicBoolean untargeted = new AtomicBoolean();

  public UpdateSessions(GroupService groups, Coordinator coordinator, Clock clock) {
    this.groups = groups;
    this.coordinator = coordinator;
    this.clock = clock;
  }

  /** Another untargeted update is under way. */
  public static final class BusyException extends RuntimeException {
    BusyException() {
      super("another update is already running");
    }
  }

  /** One group's part of a session. */
  public record GroupResult(
      String group,
      String run,
      String state,
      List<String> members,
      List<String> recreated,
      String error) {}

  /** What a session did, counted in containers like Watchtower's report. */
  public record Summary(
      int scanned,
      int updated,
      int failed,
      int rolledBack,
      int skipped,
      int fresh,
      List<GroupResult> groups,
      Instant startedAt,
      Duration duration) {}

  /** A started session: its runs, which the caller may wait for. */
  public final class Session {
    private final Instant startedAt;
    private final Map<String, Run> runs;
    private final Map<String, Set<String>> selected;
    private final boolean holdsLock;
    private final int scanned;

    private Session(
        Instant startedAt,
        Map<String, Run> runs,
        Map<String, Set<String>> selected,
        boolean holdsLock,
        int scanned) {
      this.startedAt = startedAt;
      this.runs = runs;
      this.selected = selected;
      this.holdsLock = holdsLock;
      this.scanned = scanned;
    }

    /** Waits for every run of the session (up to the timeout) and sums them up. */
    public Summary await(Duration timeout) throws InterruptedException {
      try {
        Instant deadline = clock.instant().plus(timeout);
        for (Run run : runs.values()) {
          long left = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
          run.await(left, TimeUnit.MILLISECONDS);
        }
        return summary();
      } finally {
        release();
      }
    }

    /** Lets go of the untargeted lock when the runs end, without waiting here. */
    public void detach() {
      if (!holdsLock) {
        return;
      }
      Thread t =
          new Thread(
              () -> {
                try {
                  await(Duration.ofHours(1));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "update-session");
      t.setDaemon(true);
      t.start();
    }

    public Map<String, Run> runs() {
      return runs;
    }

    private void release() {
      if (holdsLock) {
        untargeted.set(false);
      }
    }

    private Summary summary() {
      int updated = 0;
      int failed = 0;
      int rolledBack = 0;
      int skipped = 0;
      List<GroupResult> results = new ArrayList<>();
      for (Map.Entry<String, Set<String>> e : selected.entrySet()) {
        Run run = runs.get(e.getKey());
        List<String> members = List.copyOf(e.getValue());
        if (run == null) {
          skipped += members.size();
          results.add(
              new GroupResult(e.getKey(), null, "skipped", members, List.of(), "not started"));
          continue;
        }
        RunState state = run.state();
        List<String> recreated = run.recreated();
        switch (state) {
          case SUCCEEDED -> updated += recreated.size();
          case FAILED -> failed += Math.max(1, recreated.size());
          case ROLLED_BACK -> rolledBack += Math.max(1, recreated.size());
          default -> skipped += members.size(); // still running at the timeout
        }
        results.add(
            new GroupResult(e.getKey(), run.id(), state.label(), members, recreated, run.error()));
      }
      int fresh = Math.max(0, scanned - updated - failed - rolledBack - skipped);
      return new Summary(
          scanned,
          updated,
          failed,
          rolledBack,
          skipped,
          fresh,
          results,
          startedAt,
          Duration.between(startedAt, clock.instant()));
    }
  }

  /**
   * Starts the runs of a session.
   *
   * @param filters {@code image=} values, repeated or comma-separated; empty means every member
   * @throws BusyException when untargeted while another untargeted session runs
   * @throws IllegalArgumentException when a filter is not an image reference
   */
  public Session start(List<String> filters) {
    List<String> images = WatchtowerMatch.splitFilters(filters);
    for (String f : images) {
      ImageName.parse(f); // a bad filter is refused before anything starts
    }
    boolean lock = images.isEmpty();
    if (lock && !untargeted.compareAndSet(false, true)) {
      throw new BusyException();
    }
    try {
      Instant startedAt = clock.instant();
      Map<String, Set<String>> selected = new LinkedHashMap<>();
      int scanned = 0;
      for (Group g : groups.groups()) {
        if (g.holder().isEmpty()) {
          continue;
        }
        for (Member m : g.members()) {
          if (images.isEmpty() || matchesAny(images, m)) {
            selected.computeIfAbsent(g.name(), k -> new LinkedHashSet<>()).add(m.name());
            scanned++;
          }
        }
      }
      Map<String, Run> runs = new LinkedHashMap<>();
      String trigger =
          images.isEmpty() ? "v1/update" : "v1/update image=" + String.join(",", images);
      for (Map.Entry<String, Set<String>> e : selected.entrySet()) {
        try {
          Set<String> members = images.isEmpty() ? Set.of() : e.getValue();
          runs.put(
              e.getKey(),
              coordinator.submit(new RunRequest(e.getKey(), PlanKind.UPDATE, members, trigger)));
        } catch (RefusedException ex) {
          // shutting down: the group counts as skipped
        }
      }
      return new Session(startedAt, runs, selected, lock, scanned);
    } catch (RuntimeException e) {
      if (lock) {
        untargeted.set(false);
      }
      throw e;
    }
  }

  private static boolean matchesAny(List<String> filters, Member m) {
    ImageName image;
    try {
      image = ImageName.parse(m.imageRef());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return filters.stream().anyMatch(f -> WatchtowerMatch.matches(f, image));
  }
}
