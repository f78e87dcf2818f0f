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
 */
public record Group(String name, Optional<ContainerView> holder, List<Member> members) {

  public Group {
    members = List.copyOf(members);
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
