package dev.holdfast.testing;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.CreateRequest;
import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineEvent;
import dev.holdfast.engine.EngineException;
import dev.holdfast.engine.ExecResult;
import dev.holdfast.engine.ImageInfo;
import dev.holdfast.engine.NoSuchContainerException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An in-memory engine that behaves like Docker where holdfast depends on it (pinned by {@code
 * EngineContract}, which runs against both this and the real engine). It records every mutating
 * call, and failures can be injected per call.
 */
public final class FakeEngine implements Engine {

  private final Map<String, ContainerView> byId = new LinkedHashMap<>();
  private final Map<String, ImageInfo> local = new HashMap<>();
  private final Map<String, ImageInfo> registry = new HashMap<>();
  private final Map<String, String> healthOf = new HashMap<>();
  private final List<String> calls = new ArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private Function<String, RuntimeException> failures = call -> null;
  private Instant now = Instant.parse("2026-01-01T10:00:00Z");
  private java.util.function.BiFunction<String, List<String>, ExecResult> exec =
      (name, command) ->
          switch (command.get(0)) {
            case "echo" ->
                new ExecResult(0, String.join(" ", command.subList(1, command.size())) + "\n");
            case "false" -> new ExecResult(1, "");
            default -> new ExecResult(0, "");
          };

  /** What exec answers, given the container's name and the command. */
  public synchronized void onExec(
      java.util.function.BiFunction<String, List<String>, ExecResult> exec) {
    this.exec = exec;
  }

  /** Simulates the engine's restart policy restarting a container. */
  public synchronized void restarted(String name) {
    ContainerView c = require(name);
    now = now.plusSeconds(1);
    byId.put(
        c.id(),
        copy(
            c,
            c.name(),
            "running",
            c.health(),
            now,
            c.restartCount() + 1,
            c.finishedAt(),
            c.restartPolicy()));
  }

  /** Mutating calls in order, e.g. "stop app", "rename app app.holdfast-old-r1". */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** Makes a call fail: the function sees "verb target" and returns an exception or null. */
  public synchronized void failWhen(Function<String, RuntimeException> failures) {
    this.failures = failures;
  }

  /** A local image; {@code health} is what containers of it report once started. */
  public synchronized void image(String ref, ImageInfo image, String health) {
    local.put(ref, image);
    local.put(image.id(), image);
    healthOf.put(image.id(), health);
  }

  /** An image the registry serves for a reference (what pull will bring). */
  public synchronized void push(String ref, ImageInfo image, String health) {
    registry.put(ref, image);
    healthOf.put(image.id(), health);
  }

  public synchronized ContainerView run(ContainerView c) {
    byId.put(c.id(), c);
    return c;
  }

  private void call(String text) {
    RuntimeException e = failures.apply(text);
    if (e != null) {
      throw e;
    }
    calls.add(text);
  }

  private ContainerView find(String idOrName) {
    ContainerView c = byId.get(idOrName);
    if (c != null) {
      return c;
    }
    for (ContainerView v : byId.values()) {
      if (v.name().equals(idOrName) || (idOrName.length() >= 12 && v.id().startsWith(idOrName))) {
        return v;
      }
    }
    return null;
  }

  private ContainerView require(String idOrName) {
    ContainerView c = find(idOrName);
    if (c == null) {
      throw new NoSuchContainerException("No such container: " + idOrName, null);
    }
    return c;
  }

  private ContainerView with(
      ContainerView c, String name, String state, Optional<String> health, Instant started) {
    Instant finished = state.equals("exited") && !c.state().equals("exited") ? now : c.finishedAt();
    return copy(c, name, state, health, started, c.restartCount(), finished, c.restartPolicy());
  }

  /** The container, with what an engine call changes set anew (its mounts are not kept). */
  private static ContainerView copy(
      ContainerView c,
      String name,
      String state,
      Optional<String> health,
      Instant started,
      int restarts,
      Instant finished,
      String restartPolicy) {
    return new ContainerView(
        c.id(),
        name,
        c.image(),
        c.imageId(),
        c.labels(),
        state,
        health,
        c.networkMode(),
        started,
        restarts,
        finished,
        restartPolicy,
        List.of());
  }

  @Override
  public void ping() {}

  @Override
  public synchronized List<ContainerView> containers() {
    return List.copyOf(byId.values());
  }

  @Override
  public synchronized Optional<ContainerView> container(String idOrName) {
    return Optional.ofNullable(find(idOrName));
  }

  @Override
  public synchronized Optional<ImageInfo> image(String refOrId) {
    return Optional.ofNullable(local.get(refOrId));
  }

  @Override
  public synchronized ImageInfo pull(String ref) {
    call("pull " + ref);
    ImageInfo image = registry.get(ref);
    if (image == null) {
      // as the real engine: a name only built here is looked for in a registry, and not found
      throw new EngineException("pull " + ref + ": manifest unknown");
    }
    local.put(ref, image);
    local.put(image.id(), image);
    return image;
  }

  @Override
  public synchronized Optional<String> remoteDigest(String ref) {
    return Optional.ofNullable(registry.get(ref)).flatMap(ImageInfo::digest);
  }

  @Override
  public synchronized void stop(String id) {
    ContainerView c = require(id);
    call("stop " + c.name());
    now = now.plusSeconds(1);
    byId.put(c.id(), with(c, c.name(), "exited", c.health(), c.startedAt()));
  }

  @Override
  public synchronized void start(String id) {
    ContainerView c = require(id);
    call("start " + c.name());
    if (c.running()) {
      return;
    }
    Optional<String> ns = c.namespaceRef();
    if (ns.isPresent() && (find(ns.get()) == null || !find(ns.get()).running())) {
      throw new EngineException(
          "joining network namespace of container: No such container: " + ns.get());
    }
    now = now.plusSeconds(1);
    String health = healthOf.get(c.imageId());
    byId.put(c.id(), with(c, c.name(), "running", Optional.ofNullable(health), now));
  }

  @Override
  public synchronized void rename(String id, String newName) {
    ContainerView c = require(id);
    call("rename " + c.name() + " " + newName);
    ContainerView taken = find(newName);
    if (taken != null && !taken.id().equals(c.id())) {
      throw new EngineException(
          "Conflict. The container name \"/" + newName + "\" is already in use");
    }
    byId.put(c.id(), with(c, newName, c.state(), c.health(), c.startedAt()));
  }

  @Override
  public synchronized void setRestartPolicy(String id, String policy) {
    ContainerView c = require(id);
    call("restart-policy " + c.name() + " " + policy);
    byId.put(
        c.id(),
        copy(
            c,
            c.name(),
            c.state(),
            c.health(),
            c.startedAt(),
            c.restartCount(),
            c.finishedAt(),
            policy));
  }

  @Override
  public synchronized String create(CreateRequest r) {
    ContainerView source = require(r.sourceId());
    call("create " + r.name());
    if (find(r.name()) != null) {
      throw new EngineException(
          "Conflict. The container name \"/" + r.name() + "\" is already in use");
    }
    ImageInfo image = local.get(r.image());
    if (image == null) {
      throw new EngineException("No such image: " + r.image());
    }
    Map<String, String> labels = new HashMap<>(source.labels());
    r.labels()
        .forEach(
            (k, v) -> {
              if (v == null) {
                labels.remove(k);
              } else {
                labels.put(k, v);
              }
            });
    String id = Containers.idFor(r.name() + "#" + ids.incrementAndGet());
    byId.put(
        id,
        new ContainerView(
            id,
            r.name(),
            r.image(),
            image.id(),
            labels,
            "created",
            Optional.empty(),
            r.networkMode(),
            Instant.EPOCH,
            0,
            Instant.EPOCH,
            source.restartPolicy(),
            List.of()));
    return id;
  }

  @Override
  public synchronized void remove(String id) {
    ContainerView c = find(id);
    if (c == null) {
      return;
    }
    call("remove " + c.name());
    byId.remove(c.id());
  }

  @Override
  public synchronized ExecResult exec(String id, List<String> command, Duration timeout) {
    ContainerView c = require(id);
    calls.add("exec " + c.name() + " " + String.join(" ", command));
    return exec.apply(c.name(), command);
  }

  @Override
  public AutoCloseable events(Consumer<EngineEvent> onEvent, Consumer<Throwable> onEnd) {
    return () -> {};
  }
}
