package dev.holdfast.run;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineException;
import dev.holdfast.engine.ImageInfo;
import dev.holdfast.group.Group;
import dev.holdfast.group.GroupDiscovery;
import dev.holdfast.group.GroupMemory;
import dev.holdfast.group.Member;
import dev.holdfast.plan.Plan;
import dev.holdfast.plan.PlanException;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.plan.Planner;
import dev.holdfast.plan.RouteSpec;
import dev.holdfast.plan.Target;
import dev.holdfast.route.RouteControls;
import dev.holdfast.trigger.ImageOrigin;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  public GroupService(Engine engine, GroupMemory memory, RouteControls routes) {
    this.engine = engine;
    this.memory = memory;
    this.routes = routes;
  }

  /** Every group the engine shows now; what is seen is remembered. */
  public List<Group> groups() {
    java.time.Instant at = java.time.Instant.now();
    List<Group> groups = GroupDiscovery.discover(engine.containers(), memory);
    memory.remember(groups);
    last = new Snapshot(at, groups);
    return groups;
  }

  private record Snapshot(java.time.Instant at, List<Group> groups) {}

  private volatile Snapshot last;

  /**
   * The groups as last seen, read again when older than {@code maxAge}. Hooks match against this: a
   * burst of deliveries costs no engine calls, and every run plans from the engine anyway.
   * Container events refresh it through the healer's reconcile.
   */
  public List<Group> recent(java.time.Duration maxAge) {
    Snapshot s = last;
    if (s != null && s.at().plus(maxAge).isAfter(java.time.Instant.now())) {
      return s.groups();
    }
    synchronized (this) {
      s = last;
      if (s != null && s.at().plus(maxAge).isAfter(java.time.Instant.now())) {
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
    Set<String> local = new java.util.LinkedHashSet<>();
    Map<String, Target> targets =
        request.kind() == PlanKind.UPDATE
            ? updateTargets(group, request.members(), pull, local)
            : healTargets(group);
    Plan plan = Planner.plan(request.kind(), group, targets, runId);
    if (!plan.isEmpty()) {
      checkRouters(group);
    }
    return withDigestNotes(withLocalNotes(plan, local), group, targets, request.pushed());
  }

  /** Members whose image was built or imported here say so instead of "image unchanged". */
  private static Plan withLocalNotes(Plan plan, Set<String> local) {
    if (local.isEmpty()) {
      return plan;
    }
    List<String> notes = new java.util.ArrayList<>();
    for (String note : plan.notes()) {
      int colon = note.indexOf(": image unchanged");
      if (colon < 0 || !local.contains(note.substring(0, colon))) {
        notes.add(note);
      }
    }
    for (String member : local) {
      boolean recreated = plan.recreated().contains(member);
      notes.add(
          member
              + ": local image, not pulled"
              + (recreated ? " (its tag names another image now)" : ""));
    }
    return plan.withNotes(notes);
  }

  /**
   * The image a member's reference names when it was built or imported on this host (see {@link
   * ImageOrigin}, or {@code holdfast.pull=never}): the one its tag names now, or, when the tag is
   * gone, the one it runs. Empty when the image comes from a registry, or is not here at all: then
   * it is pulled.
   */
  private static boolean neverPulled(Member m) {
    try {
      return m.neverPulled();
    } catch (IllegalArgumentException e) {
      throw new PlanException(m.name() + ": " + e.getMessage());
    }
  }

  private Optional<ImageInfo> localImage(Member m, String ref, String current) {
    boolean never = neverPulled(m);
    Optional<ImageInfo> tagged = engine.image(ref);
    if (tagged.isPresent()) {
      return never || !ImageOrigin.fromRegistry(ref, tagged.get()) ? tagged : Optional.empty();
    }
    return engine
        .image(current)
        .filter(running -> never || !ImageOrigin.fromRegistry(ref, running));
  }

  /**
   * A registry's hook names the digest it stored; the pull is what counts. When they differ the
   * plan says so: the tag was pushed again since, or the hook was stale or forged.
   */
  private static Plan withDigestNotes(
      Plan plan, Group group, Map<String, Target> targets, Map<String, String> pushed) {
    List<String> notes = new java.util.ArrayList<>(plan.notes());
    pushed.forEach(
        (member, digest) -> {
          Target t = targets.get(member);
          if (t == null) {
            if (group.member(member).isPresent()) {
              notes.add(member + ": the registry reported " + digest + "; nothing new was pulled");
            }
          } else if (!t.digest().isEmpty() && !t.digest().equals(digest)) {
            notes.add(
                member
                    + ": the registry reported "
                    + digest
                    + " but the pull got "
                    + t.digest()
                    + " (pushed again since, or a stale or forged hook)");
          }
        });
    return notes.size() == plan.notes().size() ? plan : plan.withNotes(notes);
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

  /**
   * Members whose reference now names another image, plus stale members (an update also heals):
   * every image from a registry is pulled before anything is stopped; images built or imported on
   * this host are never pulled (their members are noted in {@code local}), and one whose tag now
   * names another image is an update too.
   */
  private Map<String, Target> updateTargets(
      Group group, Set<String> only, boolean pull, Set<String> localMembers) {
    for (String name : only) {
      if (group.member(name).isEmpty()) {
        throw new PlanException("no member " + name + " in group " + group.name());
      }
    }
    for (Member m : group.members()) {
      neverPulled(m); // a bad label is refused before anything is pulled
    }
    Map<String, Target> targets = new LinkedHashMap<>();
    for (Member m : group.members()) {
      if (!only.isEmpty() && !only.contains(m.name())) {
        continue;
      }
      String ref = m.imageRef();
      String current = m.container().imageId();
      Optional<ImageInfo> local = localImage(m, ref, current);
      if (local.isPresent()) {
        localMembers.add(m.name());
        ImageInfo image = local.get();
        if (!image.id().equals(current) || !m.attached()) {
          boolean tagged = engine.image(ref).map(i -> i.id().equals(image.id())).orElse(false);
          targets.put(
              m.name(),
              new Target(
                  m.name(),
                  tagged ? ref : image.id(),
                  current,
                  image.id(),
                  "",
                  image.hasHealthcheck(),
                  true));
        }
        continue;
      }
      if (pull) {
        ImageInfo pulled = engine.pull(ref);
        if (!pulled.id().equals(current) || !m.attached()) {
          targets.put(
              m.name(),
              new Target(
                  m.name(),
                  ref,
                  current,
                  pulled.id(),
                  pulled.digest().orElse(""),
                  pulled.hasHealthcheck()));
        }
      } else {
        predicted(m, ref, current).ifPresent(t -> targets.put(m.name(), t));
      }
    }
    return targets;
  }

  /** Dry-run: what a pull would change, from the registry's digest, without pulling. */
  private Optional<Target> predicted(Member m, String ref, String current) {
    Optional<ImageInfo> local = engine.image(ref);
    Optional<String> remote = engine.remoteDigest(ref);
    Optional<ImageInfo> running = engine.image(current);
    boolean runningIsRemote =
        remote.isPresent() && running.flatMap(ImageInfo::digest).equals(remote);
    if (runningIsRemote && m.attached()) {
      return Optional.empty();
    }
    boolean health = local.or(() -> running).map(ImageInfo::hasHealthcheck).orElse(false);
    if (remote.isPresent() && !runningIsRemote) {
      boolean localIsRemote = local.flatMap(ImageInfo::digest).equals(remote);
      String to = localIsRemote ? local.get().id() : "pull:" + remote.get();
      return Optional.of(new Target(m.name(), ref, current, to, remote.get(), health));
    }
    String to = local.map(ImageInfo::id).orElse(current);
    if (to.equals(current) && m.attached()) {
      return Optional.empty();
    }
    return Optional.of(new Target(m.name(), ref, current, to, "", health));
  }

  /** Stale members, recreated from the very image they run: a heal never updates. */
  private Map<String, Target> healTargets(Group group) {
    Map<String, Target> targets = new LinkedHashMap<>();
    for (Member m : group.members()) {
      if (m.attached()) {
        continue;
      }
      ContainerView c = m.container();
      String ref = m.imageRef();
      Optional<ImageInfo> byRef = engine.image(ref);
      // the tag may have moved since the member was created; the id is what it really runs
      String image = byRef.filter(i -> i.id().equals(c.imageId())).isPresent() ? ref : c.imageId();
      boolean health = engine.image(c.imageId()).map(ImageInfo::hasHealthcheck).orElse(false);
      targets.put(m.name(), new Target(m.name(), image, c.imageId(), c.imageId(), "", health));
    }
    return targets;
  }
}
