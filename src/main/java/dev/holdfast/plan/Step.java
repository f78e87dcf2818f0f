package dev.holdfast.plan;

import dev.holdfast.group.Role;
import dev.holdfast.probe.GatePolicy;
import dev.holdfast.site.Prefix;
import dev.holdfast.site.Work;
import java.util.List;

/**
 * One step of a plan: of a run's forward plan, of its rollback, or of the recovery of a run a
 * previous process left in flight. Steps are values: the executor interprets them, and each one is
 * idempotent, so a step repeated after a retry or a restart does no harm.
 */
public sealed interface Step {

  /** The container (by name) the step acts on: always a member, never the holder. */
  String target();

  /** The step as one line of plan text, without its number. */
  String render();

  StepAction action();

  /** Makes sure the image is local (it was pulled before planning). */
  record Pull(String target, String image, String fromId, String toId, String digest)
      implements Step {
    @Override
    public StepAction action() {
      return StepAction.PULL;
    }

    @Override
    public String render() {
      return StepText.line(
          "pull",
          target,
          image + "  " + StepText.abbrev(fromId) + " -> " + StepText.abbrev(toId) + digestNote());
    }

    private String digestNote() {
      return digest == null || digest.isEmpty() || toId.startsWith("pull:")
          ? ""
          : " digest " + StepText.abbrev(digest);
    }
  }

  /**
   * Waits until every prefix of the group may be withdrawn here, by each prefix's budget across its
   * sites, and takes a withdrawal slot on each: a run that would take a prefix away at too many
   * sites waits here, queued with the reason, before anything is stopped.
   *
   * @param work {@link Work#REPAIR} for a heal (a broken site never waits; it counts against the
   *     budget), {@link Work#PLANNED} for an update
   * @param override the operator overrode the budget for this run
   */
  record Admit(String target, List<Prefix> prefixes, Work work, boolean override) implements Step {
    public Admit {
      prefixes = List.copyOf(prefixes);
    }

    @Override
    public StepAction action() {
      return StepAction.ADMIT;
    }

    @Override
    public String render() {
      return StepText.line(
          "admit",
          target,
          Prefix.text(prefixes)
              + (work == Work.REPAIR
                  ? " as a repair (never waits; counts against the budget)"
                  : override
                      ? " with the budget overridden by the operator"
                      : " within each prefix's budget (wait while other sites are away)"));
    }
  }

  /**
   * Gives the slots taken by {@link Admit} back once the router is proven to export the prefixes to
   * its peers again and the drain time has passed: only then may the next site withdraw.
   */
  record Release(String target, List<Prefix> prefixes, RouteSpec route) implements Step {
    public Release {
      prefixes = List.copyOf(prefixes);
    }

    @Override
    public StepAction action() {
      return StepAction.RELEASE;
    }

    @Override
    public String render() {
      return StepText.line(
          "release",
          target,
          Prefix.text(prefixes)
              + " once "
              + (route.bird() && !route.peers().isEmpty()
                  ? "exported to " + String.join(",", route.peers()) + " again"
                  : "announced again")
              + " and drained "
              + dev.holdfast.probe.Durations.format(route.drain()));
    }
  }

  /** Stops the group's prefixes from being announced; the strategy says how. */
  record Withdraw(String target, RouteSpec route) implements Step {
    @Override
    public StepAction action() {
      return StepAction.WITHDRAW;
    }

    @Override
    public String render() {
      return StepText.line("withdraw", target, route.describeWithdraw());
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
    public StepAction action() {
      return StepAction.ANNOUNCE;
    }

    @Override
    public String render() {
      return StepText.line(
          "announce",
          target,
          route.describeAnnounce() + (ifHealthy ? " (if every app passed its gate)" : ""));
    }
  }

  /** Stops a member with its own stop signal and timeout. */
  record Stop(String target, Role role) implements Step {
    @Override
    public StepAction action() {
      return StepAction.STOP;
    }

    @Override
    public String render() {
      return StepText.line("stop", target, role.label());
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
    public StepAction action() {
      return StepAction.SET_ASIDE;
    }

    @Override
    public String render() {
      return StepText.line(
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
    public StepAction action() {
      return StepAction.CREATE;
    }

    @Override
    public String render() {
      return StepText.line(
          "create",
          freshName,
          role.label() + " from " + StepText.abbrev(image) + " in " + shortMode());
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
    public StepAction action() {
      return StepAction.PLACE;
    }

    @Override
    public String render() {
      return StepText.line("place", target, "from " + freshName);
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
    public StepAction action() {
      return StepAction.START;
    }

    @Override
    public String render() {
      return StepText.line("start", target, ifHealthy ? "(if every app passed its gate)" : "");
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
    public StepAction action() {
      return StepAction.GATE;
    }

    @Override
    public String render() {
      return StepText.line(
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
    public StepAction action() {
      return StepAction.REMOVE;
    }

    @Override
    public String render() {
      return StepText.line("remove", asideName, "old " + target);
    }
  }

  /**
   * Rollback: removes the run's replacement of the member, under the member's name (when this run
   * created it) and under its temporary name.
   */
  record Discard(String target, String freshName) implements Step {
    @Override
    public StepAction action() {
      return StepAction.DISCARD;
    }

    @Override
    public String render() {
      return StepText.line("discard", target, "the run's replacement (" + freshName + ")");
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
    public StepAction action() {
      return StepAction.RESTORE;
    }

    @Override
    public String render() {
      return StepText.line(
          "restore",
          target,
          "from "
              + asideName
              + (restartPolicy == null ? "" : ", restart policy " + restartPolicy)
              + "; the run's replacement removed");
    }
  }
}
