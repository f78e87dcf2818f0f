package dev.holdfast.testing;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.group.Labels;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Fluent builder of engine snapshots for tests: {@code container("app").in(holder).build()}. */
public final class Containers {

  private String id;
  private final String name;
  private String image = "registry.test/app:live";
  private String imageId = "sha256:" + "a".repeat(64);
  private final Map<String, String> labels = new HashMap<>();
  private String state = "running";
  private String health;
  private String networkMode = "bridge";
  private Instant startedAt = Instant.parse("2026-01-01T10:00:00Z");
  private int restarts;
  private Instant finishedAt = Instant.EPOCH;
  private String restartPolicy = "unless-stopped";
  private final java.util.List<ContainerView.Mount> mounts = new java.util.ArrayList<>();

  private Containers(String name) {
    this.name = name;
    this.id = idFor(name);
  }

  public static Containers container(String name) {
    return new Containers(name);
  }

  /** The holder of a labelled group: {@code holdfast.group=group}, {@code holdfast.role=holder}. */
  public static Containers holderOf(String group, String name) {
    return container(name).label(Labels.GROUP, group).label(Labels.ROLE, "holder");
  }

  /** A deterministic 64-hex id from a name, so tests can predict ids. */
  public static String idFor(String name) {
    try {
      byte[] sha =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(sha);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public Containers id(String id) {
    this.id = id;
    return this;
  }

  public Containers image(String image, String imageId) {
    this.image = image;
    this.imageId = imageId;
    return this;
  }

  public Containers label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  public Containers state(String state) {
    this.state = state;
    return this;
  }

  public Containers health(String health) {
    this.health = health;
    return this;
  }

  /** Joins the namespace of the container with this id or name. */
  public Containers in(String holderIdOrName) {
    this.networkMode = "container:" + holderIdOrName;
    return this;
  }

  public Containers networkMode(String mode) {
    this.networkMode = mode;
    return this;
  }

  public Containers startedAt(String instant) {
    this.startedAt = Instant.parse(instant);
    return this;
  }

  public Containers finishedAt(String instant) {
    this.finishedAt = Instant.parse(instant);
    return this;
  }

  public Containers restartPolicy(String policy) {
    this.restartPolicy = policy;
    return this;
  }

  public Containers restarts(int n) {
    this.restarts = n;
    return this;
  }

  /** A mount, e.g. {@code mount("volume", "pdns-data", "/var/lib/pdns", true)}. */
  public Containers mount(String type, String source, String destination, boolean writable) {
    mounts.add(new ContainerView.Mount(type, source, destination, writable));
    return this;
  }

  public ContainerView build() {
    return new ContainerView(
        id,
        name,
        image,
        imageId,
        labels,
        state,
        Optional.ofNullable(health),
        networkMode,
        startedAt,
        restarts,
        finishedAt,
        restartPolicy,
        mounts);
  }
}
