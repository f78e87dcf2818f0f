package dev.holdfast.http;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.group.Group;
import dev.holdfast.group.Member;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.route.RouteIntent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A group as the API shows it. */
public record GroupView(
    String name,
    String state,
    HolderView holder,
    List<MemberView> members,
    RouteView route,
    List<String> problems,
    List<String> reasons,
    String site,
    List<String> prefixes) {

  /**
   * The group as a site: its id among the prefixes' sites, and the prefixes it announces (the
   * prefix view, {@code GET /api/v1/prefixes}, shows their other sites).
   */
  GroupView withSite(String site, List<String> prefixes) {
    return new GroupView(
        name, state, holder, members, route, problems, reasons, site, List.copyOf(prefixes));
  }

  /**
   * The route as holdfast wants it: announced, withdrawn or unknown (none without a router); since
   * when; why; and the last changes, newest first.
   */
  public record RouteView(String state, Instant since, String why, List<ChangeView> changes) {}

  /** One change of a group's route. */
  public record ChangeView(String state, Instant at, String why) {}

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
   * @param problems what stops holdfast from managing the group as labelled (bad labels, a router
   *     it cannot drive); empty when nothing does
   * @param reasons why the group is not ok (holder down, members stale or down, what its heal waits
   *     for); empty when it is
   */
  public static GroupView of(
      Group g,
      Optional<PlanKind> active,
      List<RouteIntent> changes,
      List<String> problems,
      List<String> reasons) {
    String state =
        active.map(k -> k == PlanKind.UPDATE ? "updating" : "healing").orElseGet(g::health);
    HolderView holder =
        g.holder().map(h -> new HolderView(h.name(), h.id(), h.image(), h.state())).orElse(null);
    List<ChangeView> history =
        changes.stream().map(c -> new ChangeView(c.state(), c.since(), c.why())).toList();
    RouteView route =
        changes.isEmpty()
            ? new RouteView(g.routers().isEmpty() ? "none" : "unknown", null, null, history)
            : new RouteView(
                changes.get(0).state(), changes.get(0).since(), changes.get(0).why(), history);
    return new GroupView(
        g.name(),
        state,
        holder,
        g.members().stream().map(GroupView::member).toList(),
        route,
        List.copyOf(problems),
        List.copyOf(reasons),
        null,
        List.of());
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
