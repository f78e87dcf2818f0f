package dev.holdfast.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the engine says about one container at one moment. Everything holdfast decides is computed
 * from these snapshots, never from state remembered across calls.
 *
 * @param id full container id
 * @param name name without the leading slash
 * @param image the reference the container was created from (e.g. {@code registry:5000/app:live})
 * @param imageId the local image id it runs ({@code sha256:...})
 * @param labels container labels
 * @param state engine state: created, running, paused, restarting, exited, dead
 * @param health Docker HEALTHCHECK status (starting, healthy, unhealthy) or empty without one
 * @param networkMode HostConfig.NetworkMode, e.g. {@code container:<id>}, {@code bridge}
 * @param startedAt when the current process started; {@link Instant#EPOCH} when never started
 * @param restartCount restarts done by the engine's restart policy
 * @param finishedAt when its process last exited; {@link Instant#EPOCH} when never
 * @param restartPolicy the engine's restart policy: no, always, unless-stopped, on-failure
 * @param mounts its volumes, binds and tmpfs mounts
 */
public record ContainerView(
    String id,
    String name,
    String image,
    String imageId,
    Map<String, String> labels,
    String state,
    Optional<String> health,
    String networkMode,
    Instant startedAt,
    int restartCount,
    Instant finishedAt,
    String restartPolicy,
    List<Mount> mounts) {

  /**
   * One mount of a container.
   *
   * @param type volume, bind, tmpfs, npipe
   * @param source the volume name or host path
   * @param destination the path inside the container
   * @param writable whether the container can write it
   */
  public record Mount(String type, String source, String destination, boolean writable) {}

  public ContainerView {
    labels = Map.copyOf(labels);
    mounts = List.copyOf(mounts);
  }

  /**
   * Whether it writes to storage that outlives it (a volume or a host path): two containers of the
   * member must then never run at once.
   */
  public boolean writesSharedStorage() {
    return mounts.stream()
        .anyMatch(m -> m.writable() && (m.type().equals("volume") || m.type().equals("bind")));
  }

  public boolean running() {
    return "running".equals(state);
  }

  public Optional<String> label(String key) {
    return Optional.ofNullable(labels.get(key));
  }

  /** The container a {@code container:<ref>} network mode points at, or empty. */
  public Optional<String> namespaceRef() {
    return networkMode != null && networkMode.startsWith("container:")
        ? Optional.of(networkMode.substring("container:".length()))
        : Optional.empty();
  }

  public String shortId() {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
