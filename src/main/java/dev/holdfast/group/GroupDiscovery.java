package dev.holdfast.group;

import dev.holdfast.engine.ContainerView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds groups in a list of containers. Pure: the same containers and memory give the same groups.
 *
 * <p>A holder is a container labelled {@code holdfast.role=holder}, or one whose namespace another
 * container joins, or one that replaces such a holder (same {@code holdfast.group} label, same
 * Compose project and service, or the same name). A member is a container that joins a holder's
 * namespace, or that is labelled with a group, or whose {@code container:<id>} points at a holder
 * holdfast remembers. Containers holdfast set aside during a run are never members; containers
 * under Compose's temporary name ({@link ComposeLabels#temporary}) are neither holders a heal
 * targets nor members: they mark the group as settling.
 *
 * <p>A group's name is its holder's {@code holdfast.group} label, else the holder's name without
 * Compose's temporary prefix, so it survives the holder being recreated by any tool.
 */
public final class GroupDiscovery {

  private GroupDiscovery() {}

  public static List<Group> discover(List<ContainerView> all, GroupMemory memory) {
    List<ContainerView> live = all.stream().filter(c -> !AsideNames.isAside(c.name())).toList();
    Index index = new Index(live);
    HolderCandidates holders = HolderCandidates.find(live, index);
    Map<String, List<ContainerView>> members = new TreeMap<>();
    Map<String, List<String>> settling = new TreeMap<>();
    Map<String, Set<GroupMemory.Remembered>> lost = new TreeMap<>();
    for (ContainerView c : live) {
      if (holders.isCandidate(c) || declared(c).orElse(null) == Role.HOLDER) {
        continue;
      }
      Optional<String> group = groupOf(c, index, holders, memory, lost);
      if (group.isEmpty()) {
        continue;
      }
      if (ComposeLabels.temporary(c)) {
        settling
            .computeIfAbsent(group.get(), g -> new ArrayList<>())
            .add(
                "Compose is recreating "
                    + ComposeLabels.finalName(c)
                    + " ("
                    + c.name()
                    + " is "
                    + c.state()
                    + ")");
        continue;
      }
      members.computeIfAbsent(group.get(), g -> new ArrayList<>()).add(c);
    }
    Set<String> names = new HashSet<>(holders.groups());
    names.addAll(members.keySet());
    for (String group : new java.util.TreeSet<>(names)) {
      Set<GroupMemory.Remembered> gone = lost.getOrDefault(group, Set.of());
      // with a settled holder only Compose's temporary containers can be its replacement
      holders.addReplacements(
          group, live, gone, !gone.isEmpty() || !holders.hasSettledHolder(group));
    }
    List<Group> groups = new ArrayList<>();
    for (String group : new java.util.TreeSet<>(names)) {
      Optional<ContainerView> holder = holders.current(group);
      List<String> why = new ArrayList<>(holders.settling(group));
      why.addAll(settling.getOrDefault(group, List.of()));
      List<Member> list = new ArrayList<>();
      for (ContainerView c : members.getOrDefault(group, List.of())) {
        list.add(member(c, holder.orElse(null), index));
      }
      groups.add(new Group(group, holder, sorted(list), why));
    }
    groups.sort(Comparator.comparing(Group::name));
    return groups;
  }

  static Optional<Role> declared(ContainerView c) {
    return Role.parse(c.labels().get(Labels.ROLE));
  }

  /**
   * The group of a non-holder container: the holder it joins, else its {@code holdfast.group}
   * label, else what holdfast remembers of the (removed) holder it joined; that memory is noted in
   * {@code lost}, so the holder that replaced it can be found.
   */
  private static Optional<String> groupOf(
      ContainerView c,
      Index index,
      HolderCandidates holders,
      GroupMemory memory,
      Map<String, Set<GroupMemory.Remembered>> lost) {
    Optional<ContainerView> target = c.namespaceRef().flatMap(index::resolve);
    if (target.isPresent() && holders.isCandidate(target.get())) {
      return Optional.of(holders.groupOf(target.get()));
    }
    Optional<GroupMemory.Remembered> remembered =
        target.isPresent() ? Optional.empty() : c.namespaceRef().flatMap(memory::holder);
    Optional<String> labelled = c.label(Labels.GROUP);
    if (labelled.isPresent()) {
      remembered
          .filter(r -> r.group().equals(labelled.get()))
          .ifPresent(r -> lost.computeIfAbsent(r.group(), g -> new HashSet<>()).add(r));
      return labelled;
    }
    remembered.ifPresent(r -> lost.computeIfAbsent(r.group(), g -> new HashSet<>()).add(r));
    return remembered.map(GroupMemory.Remembered::group);
  }

  private static Member member(ContainerView c, ContainerView holder, Index index) {
    Role role = Role.parse(c.labels().get(Labels.ROLE)).orElse(Role.APP);
    int order = parseOrder(c.labels().get(Labels.ORDER));
    return new Member(c, role, order, Staleness.of(c, holder, index));
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
    private final Map<String, ContainerView> byId = new java.util.HashMap<>();
    private final Map<String, ContainerView> byName = new java.util.HashMap<>();

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
