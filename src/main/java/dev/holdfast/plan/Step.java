package dev.holdfast.plan;

import dev.holdfast.group.Role;
import dev.holdfast.probe.GatePolicy;

/**
 * One step of a plan. Steps are values: the runner interprets them, and each one is idempotent, so
 * a step repeated after a retry or a restart does no harm.
 */
public sealed interface Step {

  /** The container (by name) the step acts on. */
  String target();

  /** The step as one line of plan text, without its number. */
  String render();

  /** The step's verb, the first word of its text: pull, create, withdraw, stop, gate, ... */
  default String action() {
    String text = render().stripLeading();
    int space = text.indexOf(' ');
    return space < 0 ? text : text.substring(0, space);
  }

  /** Makes sure the image is local (it was pulled before planning). */
  record Pull(String target, String image, String fromId, String toId, String digest)
      implements Step {
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
    public String render() {
      return line("withdraw", target, route.describeWithdraw());
    }
  }

  /** Announces the group's prefixes again. */
  record Announce(String target, RouteSpec route) implements Step {
    @Override
    public String render() {
      return line("announce", target, route.describeAnnounce());
    }
  }

  /** Stops a member with its own stop signal and timeout. */
  record Stop(String target, Role role) implements Step {
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
    public String render() {
      return line("place", target, "from " + freshName);
    }
  }

  record Start(String target) implements Step {
    @Override
    public String render() {
      return line("start", target, "");
    }
  }

  /** Waits until the member serves, or fails the run (which rolls back). */
  record Gate(String target, GatePolicy policy) implements Step {
    @Override
    public String render() {
      return line("gate", target, policy.describe());
    }
  }

  /** Removes the set-aside container once the group is healthy and announced. */
  record Remove(String target, String asideName) implements Step {
    @Override
    public String render() {
      return line("remove", asideName, "old " + target);
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
