package dev.holdfast.run;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.Engine;
import dev.holdfast.group.Labels;
import dev.holdfast.plan.Plan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks that what a plan assumed about its group still holds while it runs: the holder is the
 * instance planned against (same id, same start), and a member about to be stopped is the container
 * planned against. A holder that restarts during a run (an engine restart, a {@code docker
 * restart}, a {@code docker compose restart}) leaves every member started before it in its old
 * namespace, where a gate may even pass (an app's own HEALTHCHECK answers on {@code lo}); a member
 * another tool recreated meanwhile is that tool's to keep.
 */
final class PlanGuard {

  private final Engine engine;

  PlanGuard(Engine engine) {
    this.engine = engine;
  }

  /**
   * @throws StepFailedException.HolderChanged when the holder is gone, stopped or restarted since
   *     planning
   */
  void holderUnchanged(Plan plan) {
    if (plan.holderStartedAt().equals(Instant.EPOCH)) {
      return; // rebuilt by recovery: the holder it finishes against is the one running now
    }
    Optional<ContainerView> h = engine.container(plan.holderId());
    if (h.isEmpty()) {
      throw new StepFailedException.HolderChanged(
          "holder " + shortId(plan.holderId()) + " was removed during the run");
    }
    if (!h.get().running()) {
      throw new StepFailedException.HolderChanged(
          "holder "
              + h.get().name()
              + " stopped during the run: members in it serve nobody until it runs again");
    }
    if (!h.get().startedAt().equals(plan.holderStartedAt())) {
      throw new StepFailedException.HolderChanged(
          "holder "
              + h.get().name()
              + " restarted during the run (started at "
              + plan.holderStartedAt()
              + ", now at "
              + h.get().startedAt()
              + "): members started before sit in its old namespace");
    }
  }

  /**
   * @throws StepFailedException when the member is now another container than planned and not this
   *     run's replacement: another tool recreated it, and its container is left alone
   */
  void memberUnchanged(Plan plan, Run run, String member) {
    String planned = plan.memberIds().get(member);
    if (planned == null) {
      return;
    }
    Optional<ContainerView> now = engine.container(member);
    if (now.isPresent()
        && !now.get().id().equals(planned)
        && !run.id().equals(now.get().labels().get(Labels.CREATED_BY_RUN))) {
      throw new StepFailedException(
          member
              + " was recreated by another client during the run (planned "
              + shortId(planned)
              + ", now "
              + now.get().shortId()
              + "); it is left as it is");
    }
  }

  /**
   * After the last step: the members the run placed, running in the holder's current namespace.
   *
   * @return why not, one entry per problem; empty when the group is as the run meant it
   */
  List<String> placedButStale(Plan plan) {
    List<String> out = new ArrayList<>();
    Optional<ContainerView> h = engine.container(plan.holderId());
    if (h.isEmpty() || !h.get().running()) {
      out.add("holder " + shortId(plan.holderId()) + " is not running");
      return out;
    }
    for (String member : plan.recreated()) {
      Optional<ContainerView> c = engine.container(member);
      if (c.isEmpty()) {
        out.add(member + " is gone");
      } else if (!c.get().networkMode().equals("container:" + plan.holderId())) {
        out.add(member + " is in " + c.get().networkMode() + ", not the holder's namespace");
      } else if (!c.get().running()) {
        out.add(member + " is " + c.get().state());
      } else if (c.get().startedAt().isBefore(h.get().startedAt())) {
        out.add(
            member
                + " started at "
                + c.get().startedAt()
                + ", before the holder restarted at "
                + h.get().startedAt()
                + ": it sits in the old namespace");
      }
    }
    return out;
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
