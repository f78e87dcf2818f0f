package dev.holdfast.engine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The narrow port through which holdfast talks to a container engine. Everything above it sees only
 * these methods and the value types of this package.
 *
 * <p>Every method may throw {@link TransientEngineException} (worth retrying), {@link
 * NoSuchContainerException}, or {@link EngineException} (permanent). Stop, start and remove are
 * idempotent: stopping a stopped container or removing a missing one succeeds.
 */
public interface Engine {

  /** Checks that the engine answers. */
  void ping();

  /** All containers, running or not. */
  List<ContainerView> containers();

  /**
   * A number that changes whenever {@link #containers()} would answer differently, so that what is
   * computed from the containers can be kept until it does; -1 when the engine cannot tell (then
   * every answer may differ).
   */
  default long generation() {
    return -1;
  }

  /** One container by id or name, or empty when it does not exist. */
  Optional<ContainerView> container(String idOrName);

  /** The local image a reference or id names, or empty when it is not present. */
  Optional<ImageInfo> image(String refOrId);

  /**
   * Pulls a reference from its registry, with the login the adapter has for that registry, and
   * returns the local image it now names. A registry that refuses fails it with an {@link
   * EngineException} naming the registry and saying {@code unauthorized}.
   */
  ImageInfo pull(String ref);

  /**
   * The manifest digest the registry currently serves for a reference, without pulling it; empty
   * when the registry cannot tell (the caller then has to pull to find out).
   */
  Optional<String> remoteDigest(String ref);

  /** Stops a container with its own stop signal and stop timeout. */
  void stop(String id);

  void start(String id);

  void rename(String id, String newName);

  /**
   * Changes a container's restart policy ({@code no}, {@code always}, {@code unless-stopped},
   * {@code on-failure:N}), so that an engine restart does not start a container set aside.
   */
  void setRestartPolicy(String id, String policy);

  /** Creates (does not start) a container; returns its id. */
  String create(CreateRequest request);

  /** Removes a container, stopping it first if needed. */
  void remove(String id);

  /** Runs a command inside a running container and waits at most {@code timeout}. */
  ExecResult exec(String id, List<String> command, Duration timeout);

  /**
   * Follows container events until the returned handle is closed. {@code onEnd} is called once when
   * the stream ends on its own (engine restart), with the error if there was one.
   */
  AutoCloseable events(Consumer<EngineEvent> onEvent, Consumer<Throwable> onEnd);
}
