package dev.holdfast.api;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.group.Group;
import dev.holdfast.group.Member;
import dev.holdfast.plan.PlanKind;
import java.util.List;
import java.util.Optional;

/** A group as the API shows it. */
public record GroupView(
    String name, String state, HolderView holder, List<MemberView> members, RouteView route) {

  /** The route as holdfast wants it: announced, withdrawn or unknown; since when; why. */
  public record RouteView(String state, java.time.Instant since, String why) {}

  /** The holder: name, id, image, state. */
  public record HolderView(String name, String id, String image, String state) {}

  /** A member, with whether it is attached to the current holder and, if not, why. */
  public record MemberView(
      String name,
      String id,
      String role,
      String image,
      String imageId,
      String state,
      String health,
      boolean attached,
      String stale) {}

  /**
   * @param active the kind of the run under way for this group, if any
   */
  public static GroupView of(
      Group g, Optional<PlanKind> active, Optional<dev.holdfast.run.RouteIntent> intent) {
    String state =
        active.map(k -> k == PlanKind.UPDATE ? "updating" : "healing").orElseGet(g::health);
    HolderView holder =
        g.holder().map(h -> new HolderView(h.name(), h.id(), h.image(), h.state())).orElse(null);
    RouteView route =
        intent
            .map(i -> new RouteView(i.state(), i.since(), i.why()))
            .orElse(new RouteView(g.routers().isEmpty() ? "none" : "unknown", null, null));
    return new GroupView(
        g.name(), state, holder, g.members().stream().map(GroupView::member).toList(), route);
  }

  private static MemberView member(Member m) {
    ContainerView c = m.container();
    return new MemberView(
        m.name(),
        c.id(),
        m.role().label(),
        m.imageRef(),
        c.imageId(),
        c.state(),
        c.health().orElse(null),
        m.attached(),
        m.stale().orElse(null));
  }
}
