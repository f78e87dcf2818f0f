package dev.holdfast.plan;

import dev.holdfast.group.Role;
import dev.holdfast.probe.GatePolicy;

/**
 * One step of a plan: of a run's forward plan, of its rollback, or of the recovery of a run a
 * previous process left in flight. Steps are values: the executor interprets them, and each one is
 * idempotent, so a step repeated after a retry or a restart does no harm.
 */
public sealed interface Step {

  /** What a step does: its verb, typed; what the run's record keeps of it. */
  enum Action {
    PULL,
    CREATE,
    WITHDRAW,
    STOP,
    SET_ASIDE,
    PLACE,
    START,
    GATE,
    ANNOUNCE,
    REMOVE,
    DISCARD,
    RESTORE;

    /** The verb as plan text and the API write it: pull, set-aside, ... */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The action a label names. */
    public static Action of(String label) {
      return valueOf(label.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
  }

  /** The container (by name) the step acts on: always a member, never the holder. */
  String target();

  /** The step as one line of plan text, without its number. */
  String render();

  Action action();

  /** Makes sure the image is local (it was pulled before planning). */
  record Pull(String target, String image, String fromId, String toId, String digest)
      implements Step {
    @Override
    public Action action() {
      return Action.PULL;
    }

    @Override
    public String render() {
      return line(
          "pull", target, image + "  " + abbrev(fromId) + " -> " + abbrev(toId) + digestNote());
    }

    private String digestNote() {
      return digest == null || digest.isEmpty() || toId.startsWith("pull:")
          ? ""
          : " digest " + abbrev(digest);
    }
  }

  /** Stops the group's prefixes from being announced; the strategy says how. */
  record Withdraw(String target, RouteSpec route) implements Step {
    @Override
    public Action action() {
      return Action.WITHDRAW;
    }

    @Override
    public String render() {
      return line("withdraw", target, route.describeWithdraw());
    }
  }

  /**
   * Announces the group's prefixes again.
   *
   * @param ifHealthy in a rollback or recovery: only when every app passed its gate again; else the
   *     route stays withdrawn, so an unhealthy app is never announced
   */
  record Announce(String target, RouteSpec route, boolean ifHealthy) implements Step {

    public Announce(String target, RouteSpec route) {
      this(target, route, false);
    }

    @Override
    public Action action() {
      return Action.ANNOUNCE;
    }

    @Override
    public String render() {
      return line(
          "announce",
          target,
          route.describeAnnounce() + (ifHealthy ? " (if every app passed its gate)" : ""));
    }
  }

  /** Stops a member with its own stop signal and timeout. */
  record Stop(String target, Role role) implements Step {
    @Override
    public Action action() {
      return Action.STOP;
    }

    @Override
    public String render() {
      return line("stop", target, role.label());
    }
  }

  /**
   * Renames the stopped member out of the way and keeps it for rollback.
   *
   * @param running whether it is set aside still running: a stale member in the holder's old
   *     namespace serves nobody, and without storage it shares writably its replacement can start
   *     at once instead of waiting for its stop (an app without an init ignores SIGTERM for its
   *     whole stop timeout); it is removed once the group is whole
   */
  record SetAside(String target, String asideName, boolean running) implements Step {

    public SetAside(String target, String asideName) {
      this(target, asideName, false);
    }

    @Override
    public Action action() {
      return Action.SET_ASIDE;
    }

    @Override
    public String render() {
      return line(
          "set-aside",
          target,
          "as "
              + asideName
              + (running ? " still running (old namespace; stopped at removal)" : ""));
    }
  }

  /**
   * Creates (does not start) the member's replacement under a temporary name, with the member's
   * configuration, before anything is stopped: a bad image or configuration fails here, harmlessly.
   */
  record Create(String target, Role role, String image, String freshName, String networkMode)
      implements Step {
    @Override
    public Action action() {
      return Action.CREATE;
    }

    @Override
    public String render() {
      return line(
          "create", freshName, role.label() + " from " + abbrev(image) + " in " + shortMode());
    }

    private String shortMode() {
      return networkMode.startsWith("container:") && networkMode.length() > 22
          ? networkMode.substring(0, 22)
          : networkMode;
    }
  }

  /** Gives the replacement the member's name. */
  record Place(String target, String freshName) implements Step {
    @Override
    public Action action() {
      return Action.PLACE;
    }

    @Override
    public String render() {
      return line("place", target, "from " + freshName);
    }
  }

  /**
   * Starts the member (in the holder's namespace, once the holder runs).
   *
   * @param ifHealthy in a rollback or recovery: only when every app passed its gate again (a router
   *     stopped to withdraw the route is started only to announce it)
   */
  record Start(String target, boolean ifHealthy) implements Step {

    public Start(String target) {
      this(target, false);
    }

    @Override
    public Action action() {
      return Action.START;
    }

    @Override
    public String render() {
      return line("start", target, ifHealthy ? "(if every app passed its gate)" : "");
    }
  }

  /**
   * Waits until the member serves.
   *
   * @param policy how, as planned from the labels and the new image; null in a rollback or
   *     recovery, where the member is gated as its restored container is labelled and its image
   *     declares (decided when the step runs), and a failure is recorded instead of failing the
   *     run: it keeps the route withdrawn
   */
  record Gate(String target, GatePolicy policy) implements Step {

    /** A gate in a rollback or recovery (see {@link #policy}). */
    public static Gate again(String target) {
      return new Gate(target, null);
    }

    public boolean recordsFailure() {
      return policy == null;
    }

    @Override
    public Action action() {
      return Action.GATE;
    }

    @Override
    public String render() {
      return line(
          "gate",
          target,
          policy == null
              ? "as its container is labelled (a failure keeps the route withdrawn)"
              : policy.describe());
    }
  }

  /** Removes the set-aside container once the group is healthy and announced. */
  record Remove(String target, String asideName) implements Step {
    @Override
    public Action action() {
      return Action.REMOVE;
    }

    @Override
    public String render() {
      return line("remove", asideName, "old " + target);
    }
  }

  /**
   * Rollback: removes the run's replacement of the member, under the member's name (when this run
   * created it) and under its temporary name.
   */
  record Discard(String target, String freshName) implements Step {
    @Override
    public Action action() {
      return Action.DISCARD;
    }

    @Override
    public String render() {
      return line("discard", target, "the run's replacement (" + freshName + ")");
    }
  }

  /**
   * Rollback: removes the run's replacement of the member (under the member's name when this run
   * created it, and under its temporary name), then gives the container set aside its name back,
   * and its restart policy. When another client recreated the member meanwhile, its container keeps
   * the name and the one set aside (the one that client replaced) is removed.
   *
   * @param restartPolicy the old member's restart policy, or null when the run did not note it
   *     (recovery): then the replacement's, which was copied from it
   */
  record Restore(String target, String freshName, String asideName, String restartPolicy)
      implements Step {
    @Override
    public Action action() {
      return Action.RESTORE;
    }

    @Override
    public String render() {
      return line(
          "restore",
          target,
          "from "
              + asideName
              + (restartPolicy == null ? "" : ", restart policy " + restartPolicy)
              + "; the run's replacement removed");
    }
  }

  private static String line(String verb, String target, String detail) {
    String head = String.format("%-9s %s", verb, target);
    return detail.isEmpty() ? head : String.format("%-32s %s", head, detail);
  }

  static String abbrev(String id) {
    if (id == null || id.isEmpty()) {
      return "?";
    }
    if (id.startsWith("pull:")) {
      return "new " + abbrev(id.substring(5));
    }
    return id.startsWith("sha256:") && id.length() > 19 ? id.substring(0, 19) : id;
  }
}
