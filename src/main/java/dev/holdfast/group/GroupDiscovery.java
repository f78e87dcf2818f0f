package dev.holdfast.group;

import dev.holdfast.engine.ContainerView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Finds groups in a list of containers. Pure: the same containers and memory give the same groups.
 *
 * <p>A holder is a container labelled {@code holdfast.role=holder}, or one whose namespace another
 * container joins. A member is a container that joins a holder's namespace, or that is labelled
 * with a group, or whose {@code container:<id>} points at a holder holdfast remembers. Containers
 * holdfast set aside during a run are never members.
 */
public final class GroupDiscovery {

  /**
   * How long before its holder stopped a member may have stopped and still count as lost with it.
   */
  static final Duration NAMESPACE_LOSS_WINDOW = Duration.ofMinutes(5);

  private GroupDiscovery() {}

  public static List<Group> discover(List<ContainerView> all, GroupMemory memory) {
    List<ContainerView> live = all.stream().filter(c -> !AsideNames.isAside(c.name())).toList();
    Index index = new Index(live);
    Map<String, ContainerView> holders = findHolders(live, index);
    Map<String, List<Member>> members = new TreeMap<>();
    for (ContainerView c : live) {
      if (isHolder(c, holders)) {
        continue;
      }
      Optional<String> group = groupOf(c, index, holders, memory);
      if (group.isEmpty()) {
        continue;
      }
      if (!holders.containsKey(group.get())) {
        rememberedHolder(c, index, memory).ifPresent(h -> holders.put(group.get(), h));
      }
      ContainerView holder = holders.get(group.get());
      members.computeIfAbsent(group.get(), g -> new ArrayList<>()).add(member(c, holder, index));
    }
    List<Group> groups = new ArrayList<>();
    for (Map.Entry<String, ContainerView> h : new TreeMap<>(holders).entrySet()) {
      List<Member> list = members.getOrDefault(h.getKey(), List.of());
      groups.add(new Group(h.getKey(), Optional.of(h.getValue()), sorted(list)));
    }
    for (Map.Entry<String, List<Member>> m : members.entrySet()) {
      if (!holders.containsKey(m.getKey())) {
        groups.add(new Group(m.getKey(), Optional.empty(), sorted(m.getValue())));
      }
    }
    groups.sort(Comparator.comparing(Group::name));
    return groups;
  }

  private static Map<String, ContainerView> findHolders(List<ContainerView> live, Index index) {
    Map<String, ContainerView> holders = new LinkedHashMap<>();
    for (ContainerView c : live) {
      if (Role.parse(c.labels().get(Labels.ROLE)).orElse(null) == Role.HOLDER) {
        putHolder(holders, c.label(Labels.GROUP).orElse(c.name()), c);
      }
    }
    for (ContainerView c : live) {
      c.namespaceRef()
          .flatMap(index::resolve)
          .filter(target -> !holders.containsValue(target))
          .ifPresent(
              target ->
                  putHolder(holders, target.label(Labels.GROUP).orElse(target.name()), target));
    }
    return holders;
  }

  /** Two holders claiming one group: the running, most recently started one wins. */
  private static void putHolder(Map<String, ContainerView> holders, String group, ContainerView c) {
    holders.merge(
        group,
        c,
        (a, b) -> {
          Comparator<ContainerView> rank =
              Comparator.comparing(ContainerView::running).thenComparing(ContainerView::startedAt);
          return rank.compare(a, b) >= 0 ? a : b;
        });
  }

  private static boolean isHolder(ContainerView c, Map<String, ContainerView> holders) {
    return holders.values().stream().anyMatch(h -> h.id().equals(c.id()))
        || Role.parse(c.labels().get(Labels.ROLE)).orElse(null) == Role.HOLDER;
  }

  private static Optional<String> groupOf(
      ContainerView c, Index index, Map<String, ContainerView> holders, GroupMemory memory) {
    Optional<ContainerView> target = c.namespaceRef().flatMap(index::resolve);
    if (target.isPresent()) {
      for (Map.Entry<String, ContainerView> h : holders.entrySet()) {
        if (h.getValue().id().equals(target.get().id())) {
          return Optional.of(h.getKey());
        }
      }
    }
    Optional<String> labelled = c.label(Labels.GROUP);
    if (labelled.isPresent()) {
      return labelled;
    }
    return c.namespaceRef().flatMap(memory::holder).map(GroupMemory.Remembered::group);
  }

  private static Optional<ContainerView> rememberedHolder(
      ContainerView c, Index index, GroupMemory memory) {
    return c.namespaceRef()
        .flatMap(memory::holder)
        .flatMap(r -> index.resolve(r.holderName()))
        .filter(h -> h.namespaceRef().isEmpty());
  }

  private static Member member(ContainerView c, ContainerView holder, Index index) {
    Role role = Role.parse(c.labels().get(Labels.ROLE)).orElse(Role.APP);
    int order = parseOrder(c.labels().get(Labels.ORDER));
    return new Member(c, role, order, staleness(c, holder, index));
  }

  /** Why a member is not in the holder's current namespace, or empty when it is. */
  static Optional<String> staleness(ContainerView c, ContainerView holder, Index index) {
    if (holder == null) {
      return Optional.of("the group's holder is gone");
    }
    Optional<String> ref = c.namespaceRef();
    if (ref.isEmpty()) {
      return Optional.of("network mode " + c.networkMode() + " is not the holder's namespace");
    }
    Optional<ContainerView> target = index.resolve(ref.get());
    if (target.isEmpty() || !target.get().id().equals(holder.id())) {
      return Optional.of(
          "joined container:"
              + abbreviate(ref.get())
              + ", but the holder is now "
              + holder.shortId());
    }
    if (!c.running() && holder.running() && stoppedWithTheNamespace(c, holder)) {
      return Optional.of(
          "stopped at "
              + c.finishedAt()
              + " when the holder's namespace went away (holder stopped at "
              + holder.finishedAt()
              + ", started again at "
              + holder.startedAt()
              + ")");
    }
    if (c.running() && c.startedAt().isBefore(holder.startedAt())) {
      return Optional.of(
          "the holder restarted at "
              + holder.startedAt()
              + ", after the member started at "
              + c.startedAt());
    }
    return Optional.empty();
  }

  /**
   * A stopped member that went down with its holder (an engine restart, a holder stop) rather than
   * by an operator's hand long before: it stopped while the holder was down or shortly before the
   * holder stopped, and the holder has run again since.
   */
  static boolean stoppedWithTheNamespace(ContainerView c, ContainerView holder) {
    if (c.finishedAt().equals(Instant.EPOCH) || holder.finishedAt().equals(Instant.EPOCH)) {
      return false;
    }
    return !c.finishedAt().isAfter(holder.startedAt())
        && !c.finishedAt().isBefore(holder.finishedAt().minus(NAMESPACE_LOSS_WINDOW));
  }

  private static String abbreviate(String ref) {
    return ref.length() > 12 && ref.matches("[0-9a-f]+") ? ref.substring(0, 12) : ref;
  }

  private static int parseOrder(String value) {
    try {
      return value == null ? 0 : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return 0; // documented: an unreadable order counts as 0; plan() reports it
    }
  }

  private static List<Member> sorted(List<Member> members) {
    List<Member> copy = new ArrayList<>(members);
    copy.sort(
        Comparator.comparing((Member m) -> m.role() == Role.ROUTER)
            .thenComparingInt(Member::order)
            .thenComparing(Member::name));
    return copy;
  }

  /** Resolves {@code container:<ref>} the way the engine does: full id, name, or id prefix. */
  static final class Index {
    private final Map<String, ContainerView> byId = new HashMap<>();
    private final Map<String, ContainerView> byName = new HashMap<>();

    Index(List<ContainerView> containers) {
      for (ContainerView c : containers) {
        byId.put(c.id(), c);
        byName.put(c.name(), c);
      }
    }

    Optional<ContainerView> resolve(String ref) {
      ContainerView c = byId.get(ref);
      if (c == null) {
        c = byName.get(ref.startsWith("/") ? ref.substring(1) : ref);
      }
      if (c == null && ref.length() >= 12) {
        c = byId.values().stream().filter(v -> v.id().startsWith(ref)).findFirst().orElse(null);
      }
      return Optional.ofNullable(c);
    }
  }
}
