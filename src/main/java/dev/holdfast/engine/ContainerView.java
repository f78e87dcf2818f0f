package dev.holdfast.engine;

import java.time.Instant;
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
    String restartPolicy) {

  public ContainerView {
    labels = Map.copyOf(labels);
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
