package dev.holdfast.run;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.Engine;
import dev.holdfast.engine.ImageInfo;
import dev.holdfast.group.Group;
import dev.holdfast.group.Member;
import dev.holdfast.plan.PlanException;
import dev.holdfast.plan.Target;
import dev.holdfast.trigger.ImageOrigin;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which members a run recreates, and from which image: for an update, what each member's reference
 * names after a pull (or, in a dry-run, would name), never pulling an image built on this host; for
 * a heal, the very image each stale member runs.
 */
final class RunTargets {

  /**
   * @param targets per member, what it is recreated from
   * @param local the members whose image was built or imported here (never pulled)
   */
  record Chosen(Map<String, Target> targets, Set<String> local) {}

  private final Engine engine;

  RunTargets(Engine engine) {
    this.engine = engine;
  }

  /**
   * Members whose reference now names another image, plus stale members (an update also heals):
   * every image from a registry is pulled before anything is stopped; images built or imported on
   * this host are never pulled (their members are listed in {@link Chosen#local}), and one whose
   * tag now names another image is an update too.
   */
  Chosen update(Group group, Set<String> only, boolean pull) {
    Set<String> localMembers = new LinkedHashSet<>();
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
    return new Chosen(targets, localMembers);
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
  Chosen heal(Group group) {
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
    return new Chosen(targets, Set.of());
  }

  /**
   * The image a member's reference names when it was built or imported on this host (see {@link
   * ImageOrigin}, or {@code holdfast.pull=never}): the one its tag names now, or, when the tag is
   * gone, the one it runs. Empty when the image comes from a registry, or is not here at all: then
   * it is pulled.
   */
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

  private static boolean neverPulled(Member m) {
    try {
      return m.neverPulled();
    } catch (IllegalArgumentException e) {
      throw new PlanException(m.name() + ": " + e.getMessage());
    }
  }
}
