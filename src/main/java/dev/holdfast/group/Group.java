package dev.holdfast.group;

import dev.holdfast.engine.ContainerView;
import java.util.List;
import java.util.Optional;

/**
 * A holder and the members that share (or should share) its network namespace.
 *
 * @param name the group name
 * @param holder the current holder, empty when it is gone
 * @param members apps in update order, then routers
 * @param settling what another tool (Compose, Watchtower, an operator) is visibly doing to the
 *     group right now, e.g. replacing its holder: a heal waits until it is done
 */
public record Group(
    String name, Optional<ContainerView> holder, List<Member> members, List<String> settling) {

  public Group {
    members = List.copyOf(members);
    settling = List.copyOf(settling);
  }

  public Group(String name, Optional<ContainerView> holder, List<Member> members) {
    this(name, holder, members, List.of());
  }

  public List<Member> apps() {
    return members.stream().filter(m -> m.role() == Role.APP).toList();
  }

  public List<Member> routers() {
    return members.stream().filter(m -> m.role() == Role.ROUTER).toList();
  }

  public Optional<Member> member(String name) {
    return members.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  public boolean hasStaleMembers() {
    return members.stream().anyMatch(m -> !m.attached());
  }

  /** Whether another tool is visibly changing the group (see {@link #settling()}). */
  public boolean isSettling() {
    return !settling.isEmpty();
  }

  /** Why the group is not {@code ok}: the holder's state, each member down or stale, with why. */
  public List<String> reasons() {
    List<String> out = new java.util.ArrayList<>();
    if (holder.isEmpty()) {
      out.add("the group has no holder");
    } else if (!holder.get().running()) {
      out.add("holder " + holder.get().name() + " is " + holder.get().state());
    }
    for (Member m : members) {
      if (!m.attached()) {
        out.add(m.name() + " is stale: " + m.stale().get());
      } else if (!m.container().running()) {
        out.add(m.name() + " is " + m.container().state());
      } else if (m.container().health().orElse("").equals("unhealthy")) {
        out.add(m.name() + " is unhealthy");
      }
    }
    out.addAll(settling);
    return out;
  }

  /** ok, or degraded when the holder is missing or stopped, or a member is stale or down. */
  public String health() {
    boolean holderOk = holder.map(ContainerView::running).orElse(false);
    boolean membersOk =
        members.stream()
            .allMatch(
                m ->
                    m.attached()
                        && m.container().running()
                        && !m.container().health().orElse("").equals("unhealthy"));
    return holderOk && membersOk ? "ok" : "degraded";
  }
}
