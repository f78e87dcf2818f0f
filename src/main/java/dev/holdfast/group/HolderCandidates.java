package dev.holdfast.group;

import dev.holdfast.engine.ContainerView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The containers that hold, or are about to hold, each group's namespace, and which of them is the
 * current holder. While a tool recreates a holder there are two for a while: the old one (stopped,
 * perhaps renamed) and the new one (perhaps under a temporary name); both belong to the same group.
 */
final class HolderCandidates {

  /** Non-temporary first, then running, then the most recently started. */
  private static final Comparator<ContainerView> CURRENT_FIRST =
      Comparator.comparing((ContainerView c) -> ComposeLabels.temporary(c))
          .thenComparing(c -> !c.running())
          .thenComparing(ContainerView::startedAt, Comparator.reverseOrder())
          .thenComparing(ContainerView::name);

  private final Map<String, List<ContainerView>> byGroup = new TreeMap<>();
  private final Map<String, String> groupById = new HashMap<>();

  private HolderCandidates() {}

  /** Holders labelled so, and every container another one joins. */
  static HolderCandidates find(List<ContainerView> live, GroupDiscovery.Index index) {
    HolderCandidates h = new HolderCandidates();
    for (ContainerView c : live) {
      if (GroupDiscovery.declared(c).orElse(null) == Role.HOLDER) {
        h.add(nameOf(c), c);
      }
    }
    for (ContainerView c : live) {
      c.namespaceRef()
          .flatMap(index::resolve)
          .filter(t -> !h.isCandidate(t))
          .filter(t -> !isMemberShaped(t))
          .ifPresent(t -> h.add(nameOf(t), t));
    }
    return h;
  }

  /** A group's name from its holder: the label, else its name without Compose's prefix. */
  static String nameOf(ContainerView holder) {
    return holder.label(Labels.GROUP).orElse(ComposeLabels.finalName(holder));
  }

  /** Declared an app or router: never a holder, even if something joins it. */
  private static boolean isMemberShaped(ContainerView c) {
    Role role = GroupDiscovery.declared(c).orElse(null);
    return role == Role.APP || role == Role.ROUTER;
  }

  boolean isCandidate(ContainerView c) {
    return groupById.containsKey(c.id());
  }

  String groupOf(ContainerView candidate) {
    return groupById.get(candidate.id());
  }

  Set<String> groups() {
    return byGroup.keySet();
  }

  /**
   * Adds the containers that replace the group's holders: not joining any namespace, not declared
   * an app or router, and either labelled with the group, or managed by Compose as the same project
   * and service, or carrying the same name, as a holder of the group seen now or remembered.
   *
   * @param any false when the group's holder runs under its own name: then only a container under
   *     Compose's temporary name can be its replacement, not one that merely carries its label
   */
  void addReplacements(
      String group, List<ContainerView> live, Set<GroupMemory.Remembered> lost, boolean any) {
    Set<String> services = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (ContainerView known : byGroup.getOrDefault(group, List.of())) {
      ComposeLabels.service(known).ifPresent(services::add);
      names.add(ComposeLabels.finalName(known));
    }
    for (GroupMemory.Remembered r : lost) {
      if (r.composeService() != null) {
        services.add(r.composeService());
      }
      if (r.holderName() != null) {
        names.add(ComposeLabels.finalName(r.holderName()));
      }
    }
    for (ContainerView c : live) {
      if (isCandidate(c)
          || c.namespaceRef().isPresent()
          || isMemberShaped(c)
          || (!any && !ComposeLabels.temporary(c))) {
        continue;
      }
      Optional<String> label = c.label(Labels.GROUP);
      boolean same =
          label.isPresent()
              ? label.get().equals(group)
              : ComposeLabels.service(c).map(services::contains).orElse(false)
                  || names.contains(ComposeLabels.finalName(c));
      if (same) {
        add(group, c);
      }
    }
  }

  /**
   * Whether the group's current holder runs under its own name: then nothing replaces it (a
   * container that merely carries the group's label or name is not looked for).
   */
  boolean hasSettledHolder(String group) {
    return current(group).filter(h -> h.running() && !ComposeLabels.temporary(h)).isPresent();
  }

  /** The holder members are to be in: see {@link #CURRENT_FIRST}. */
  Optional<ContainerView> current(String group) {
    return byGroup.getOrDefault(group, List.of()).stream().min(CURRENT_FIRST);
  }

  /** Holders under Compose's temporary name: the group is mid-recreation. */
  List<String> settling(String group) {
    List<String> out = new ArrayList<>();
    Optional<ContainerView> current = current(group);
    for (ContainerView c : byGroup.getOrDefault(group, List.of())) {
      if (!ComposeLabels.temporary(c)) {
        continue;
      }
      String what = c.name() + " is " + c.state() + " under Compose's temporary name";
      out.add(
          current.map(ContainerView::id).orElse("").equals(c.id())
              ? "waiting for the new holder " + ComposeLabels.finalName(c) + " (" + what + ")"
              : "Compose is replacing holder " + ComposeLabels.finalName(c) + " (" + what + ")");
    }
    return out;
  }

  private void add(String group, ContainerView c) {
    byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(c);
    groupById.put(c.id(), group);
  }
}
