package dev.holdfast.run;

import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineException;
import dev.holdfast.group.Group;
import dev.holdfast.group.GroupDiscovery;
import dev.holdfast.group.GroupMemory;
import dev.holdfast.group.Member;
import dev.holdfast.group.Scope;
import dev.holdfast.plan.Plan;
import dev.holdfast.plan.PlanException;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.plan.Planner;
import dev.holdfast.plan.RouteSpec;
import dev.holdfast.route.PrefixStore;
import dev.holdfast.route.RouteControls;
import dev.holdfast.route.SitePrefixes;
import dev.holdfast.site.Prefix;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads groups from the engine and decides what a run should change: the I/O around the pure
 * discovery and planner.
 */
public final class GroupService {

  private final Engine engine;
  private final GroupMemory memory;
  private final RouteControls routes;
  private final RunTargets targets;
  private final java.time.Clock clock;
  private final Scope scope;
  private final SitePrefixes prefixes;

  /**
   * @param scope the groups this instance manages; the others on the engine are not seen at all
   */
  public GroupService(
      Engine engine, GroupMemory memory, RouteControls routes, java.time.Clock clock, Scope scope) {
    this(engine, memory, routes, clock, scope, new SitePrefixes(routes, PrefixStore.NONE));
  }

  /**
   * @param prefixes which prefixes each group announces: a plan takes their withdrawal slots
   */
  public GroupService(
      Engine engine,
      GroupMemory memory,
      RouteControls routes,
      java.time.Clock clock,
      Scope scope,
      SitePrefixes prefixes) {
    this(engine, memory, routes, clock, scope, prefixes, Optional.empty());
  }

  /**
   * @param self the container this holdfast runs in: never a member of any group (see {@code
   *     SelfContainer})
   */
  public GroupService(
      Engine engine,
      GroupMemory memory,
      RouteControls routes,
      java.time.Clock clock,
      Scope scope,
      SitePrefixes prefixes,
      Optional<String> self) {
    this.self = self;
    this.prefixes = prefixes;
    this.clock = clock;
    this.scope = scope;
    this.engine = engine;
    this.memory = memory;
    this.routes = routes;
    this.targets = new RunTargets(engine);
  }

  /** Every group the engine shows now; what is seen is remembered. */
  public List<Group> groups() {
    java.time.Instant at = clock.instant();
    // the same containers give the same groups (discovery is pure, and the memory changes only
    // through what it is told here): while the engine says nothing changed, they are kept
    long generation = engine.generation();
    Snapshot s = last;
    if (generation >= 0 && s != null && s.generation() == generation) {
      last = new Snapshot(at, s.groups(), generation);
      return s.groups();
    }
    List<Group> groups =
        GroupDiscovery.discover(withoutSelf(engine.containers()), memory).stream()
            .filter(scope::manages)
            .toList();
    memory.remember(groups);
    last = new Snapshot(at, groups, generation);
    return groups;
  }

  private List<dev.holdfast.engine.ContainerView> withoutSelf(
      List<dev.holdfast.engine.ContainerView> all) {
    if (self.isEmpty()) {
      return all;
    }
    return all.stream().filter(c -> !c.id().equals(self.get())).toList();
  }

  private record Snapshot(java.time.Instant at, List<Group> groups, long generation) {}

  private volatile Snapshot last;
  private final Optional<String> self;

  /**
   * The groups as last seen, read again when older than {@code maxAge}. Hooks match against this: a
   * burst of deliveries costs no engine calls, and every run plans from the engine anyway.
   * Container events refresh it through the healer's reconcile.
   */
  public List<Group> recent(java.time.Duration maxAge) {
    Snapshot s = last;
    if (s != null && s.at().plus(maxAge).isAfter(clock.instant())) {
      return s.groups();
    }
    synchronized (this) {
      s = last;
      if (s != null && s.at().plus(maxAge).isAfter(clock.instant())) {
        return s.groups();
      }
      return groups();
    }
  }

  /**
   * The name a group's holder had, when the holder is gone: remembered from the holder its members
   * still point at. Empty while the group has a holder, or when nothing is remembered.
   */
  public Optional<String> formerHolder(Group group) {
    if (group.holder().isPresent()) {
      return Optional.empty();
    }
    return group.members().stream()
        .map(m -> m.container().namespaceRef())
        .flatMap(Optional::stream)
        .map(memory::holder)
        .flatMap(Optional::stream)
        .filter(r -> r.group().equals(group.name()))
        .map(GroupMemory.Remembered::holderName)
        .findFirst();
  }

  /** Which prefixes each group announces. */
  public SitePrefixes prefixes() {
    return prefixes;
  }

  public Optional<Group> group(String name) {
    return groups().stream().filter(g -> g.name().equals(name)).findFirst();
  }

  /**
   * Plans a run. For an update, {@code pull} decides whether images are pulled (a real run) or only
   * compared with the registry's digest (a dry-run, which changes nothing).
   *
   * @throws PlanException when the group or a member cannot be planned
   * @throws EngineException when a pull fails: nothing has been touched then
   */
  public Plan plan(RunRequest request, String runId, boolean pull) {
    Group group =
        group(request.group())
            .orElseThrow(() -> new UnknownGroupException("no group " + request.group()));
    refuseHolder(group, request.members());
    RunTargets.Chosen chosen =
        request.kind() == PlanKind.UPDATE
            ? targets.update(group, request.members(), pull)
            : targets.heal(group);
    List<Prefix> announced =
        chosen.targets().isEmpty()
            ? List.of()
            : prefixes.of(group).stream()
                .sorted(java.util.Comparator.comparing(Prefix::text))
                .toList();
    Plan plan =
        Planner.plan(request.kind(), group, chosen.targets(), runId, announced, request.override());
    if (!plan.isEmpty()) {
      checkRouters(group);
    }
    return PlanNotes.withDigests(
        PlanNotes.withLocalImages(plan, chosen.local()), group, chosen.targets(), request.pushed());
  }

  /**
   * Routers whose labels cannot work stop the run before anything is touched.
   *
   * @throws PlanException with the reason
   */
  public void checkRouters(Group group) {
    for (Member router : group.routers()) {
      RouteSpec spec = Planner.route(router);
      if (router.container().running()) {
        routes
            .get(spec.strategy())
            .check(router.container(), spec)
            .ifPresent(
                why -> {
                  throw new PlanException(why);
                });
      }
    }
  }

  /** A request that names the holder is refused before anything is looked at. */
  public static void refuseHolder(Group group, Set<String> members) {
    group
        .holder()
        .filter(h -> members.contains(h.name()) || members.contains(h.id()))
        .ifPresent(
            h -> {
              throw new RefusedException(Planner.refuseHolder(h.name(), group.name()));
            });
  }
}
