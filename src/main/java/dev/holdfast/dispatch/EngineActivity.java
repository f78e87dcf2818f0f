package dev.holdfast.dispatch;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.EngineEvent;
import dev.holdfast.group.AsideNames;
import dev.holdfast.group.ComposeLabels;
import dev.holdfast.group.Group;
import dev.holdfast.group.Member;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What other clients are doing to containers right now, as engine events show it: the last
 * lifecycle event of each container and of each Compose project, and the containers someone is
 * stopping (a stop signal sent, the container not dead yet).
 *
 * <p>A heal waits while a group is busy, so that it neither races a tool's own recreate (Compose
 * recreates the holder and then, in the same {@code up}, its members; Watchtower stops a holder's
 * dependents, recreates the holder, then the dependents) nor heals onto a holder that is about to
 * go. "Busy" is followed through events, not a fixed delay: a group is quiet once none of its
 * containers, and no container of its Compose project, changed for the settle time, and nothing of
 * it is being stopped.
 */
public final class EngineActivity {

  /** Events that change a container; health and exec events do not. */
  private static final Set<String> LIFECYCLE =
      Set.of(
          "create", "start", "restart", "stop", "die", "kill", "rename", "destroy", "pause",
          "unpause");

  /** Signals a stop sends (numbers as the engine reports them, or names). */
  private static final Set<String> STOP_SIGNALS =
      Set.of("15", "9", "2", "3", "SIGTERM", "SIGKILL", "SIGINT", "SIGQUIT");

  /** Entries older than this are dropped: a container that ignores its stop is not waited for. */
  private static final Duration FORGET = Duration.ofMinutes(10);

  private record Seen(Instant at, String what) {}

  private final Clock clock;
  private final Duration settle;
  private final Map<String, Seen> containers = new ConcurrentHashMap<>();
  private final Map<String, Seen> projects = new ConcurrentHashMap<>();
  private final Map<String, Seen> stopping = new ConcurrentHashMap<>();

  /**
   * @param settle how long a group must be free of other clients' container events before a heal
   */
  public EngineActivity(Clock clock, Duration settle) {
    this.clock = clock;
    this.settle = settle;
  }

  /** Notes one engine event; events about holdfast's own set-aside containers are not activity. */
  public void saw(EngineEvent e) {
    String name = e.attributes().getOrDefault("name", e.containerId());
    if (!LIFECYCLE.contains(e.action()) || AsideNames.isAside(name)) {
      return;
    }
    Instant now = clock.instant();
    Seen seen = new Seen(now, name + " " + e.action());
    containers.put(e.containerId(), seen);
    String project = e.attributes().get(ComposeLabels.PROJECT);
    if (project != null) {
      projects.put(project, seen);
    }
    switch (e.action()) {
      case "kill" -> {
        if (STOP_SIGNALS.contains(e.attributes().getOrDefault("signal", ""))) {
          stopping.putIfAbsent(e.containerId(), seen);
        }
      }
      case "die", "stop", "destroy" -> stopping.remove(e.containerId());
      default -> {}
    }
    forgetOld(now);
  }

  /** Why the group is not quiet yet; empty when it is. */
  public List<String> busy(Group g) {
    Instant now = clock.instant();
    List<String> why = new ArrayList<>();
    for (ContainerView c : containersOf(g)) {
      Seen s = stopping.get(c.id());
      if (s != null) {
        why.add(c.name() + " is being stopped (stop signal sent " + ago(s, now) + ")");
      }
    }
    latest(g)
        .filter(s -> s.at().plus(settle).isAfter(now))
        .ifPresent(
            s -> why.add("the engine is not quiet yet (" + s.what() + " " + ago(s, now) + ")"));
    return why;
  }

  /** Whether someone sent the container a stop signal and it has not died yet. */
  public boolean stopping(String containerId) {
    return stopping.containsKey(containerId);
  }

  /** When the group's latest change is a settle time old: the moment to look again. */
  public Optional<Instant> quietAt(Group g) {
    return latest(g).map(s -> s.at().plus(settle));
  }

  private Optional<Seen> latest(Group g) {
    Seen latest = null;
    for (ContainerView c : containersOf(g)) {
      latest = later(latest, containers.get(c.id()));
      Optional<String> project = ComposeLabels.project(c);
      if (project.isPresent()) {
        latest = later(latest, projects.get(project.get()));
      }
    }
    return Optional.ofNullable(latest);
  }

  private static List<ContainerView> containersOf(Group g) {
    List<ContainerView> all = new ArrayList<>();
    g.holder().ifPresent(all::add);
    g.members().stream().map(Member::container).forEach(all::add);
    return all;
  }

  private static Seen later(Seen a, Seen b) {
    if (a == null) {
      return b;
    }
    return b == null || !b.at().isAfter(a.at()) ? a : b;
  }

  private static String ago(Seen s, Instant now) {
    return Duration.between(s.at(), now).toMillis() + " ms ago";
  }

  private void forgetOld(Instant now) {
    Instant before = now.minus(FORGET);
    containers.values().removeIf(s -> s.at().isBefore(before));
    projects.values().removeIf(s -> s.at().isBefore(before));
    stopping.values().removeIf(s -> s.at().isBefore(before));
  }
}
