package dev.holdfast.group;

/** Every label key holdfast reads or writes: the user's contract, documented in the README. */
public final class Labels {

  /** Group name, on the holder and optionally on members. */
  public static final String GROUP = "holdfast.group";

  /**
   * The holdfast instance that manages the group (as Watchtower's scope): an instance started with
   * {@code --scope X} manages only groups whose holder says {@code X}, one without a scope only
   * groups whose holder has no such label.
   */
  public static final String SCOPE = "holdfast.scope";

  /** holder, app or router. */
  public static final String ROLE = "holdfast.role";

  /** Apps are updated in ascending order of this integer (default 0, then by name). */
  public static final String ORDER = "holdfast.order";

  /** Health probe for the gate: tcp:PORT, http:PORT/PATH or exec:COMMAND. */
  public static final String HEALTH = "holdfast.health";

  /** How long the health gate waits, e.g. 60s, 2m. */
  public static final String HEALTH_TIMEOUT = "holdfast.health.timeout";

  /** Without a HEALTHCHECK or probe: how long the app must run without restarting, e.g. 3s. */
  public static final String HEALTH_SETTLE = "holdfast.health.settle";

  /** Outside runs: how often the holdfast.health probe runs, e.g. 5s (default 5s). */
  public static final String HEALTH_INTERVAL = "holdfast.health.interval";

  /** Outside runs: consecutive probe failures that withdraw the route (default 3). */
  public static final String HEALTH_FALL = "holdfast.health.fall";

  /** Outside runs: consecutive probe successes that announce it again (default 2). */
  public static final String HEALTH_RISE = "holdfast.health.rise";

  /** Route control strategy on the router: stop (default) or bird. */
  public static final String ROUTE = "holdfast.route";

  /** With route=bird: the protocols that originate the anycast prefixes, comma-separated. */
  public static final String BIRD_PROTOCOLS = "holdfast.bird.protocols";

  /**
   * With route=bird: BIRD's control socket (default /run/bird/bird.ctl, then /var/run/bird.ctl).
   */
  public static final String BIRD_SOCKET = "holdfast.bird.socket";

  /** With route=bird: BGP protocols whose export must no longer carry the prefixes. */
  public static final String BIRD_PEERS = "holdfast.bird.peers";

  /** How long to wait after a proven withdrawal before the app is stopped (default 2s). */
  public static final String DRAIN = "holdfast.drain";

  /**
   * On a router: the anycast prefixes it announces, comma-separated ({@code 192.0.2.53/32,
   * 2001:db8::53/128}). Needed with {@code holdfast.route=stop}; with {@code bird} holdfast reads
   * them from the anycast protocols' routes, and the label, when present, wins.
   */
  public static final String PREFIXES = "holdfast.prefixes";

  /**
   * {@code never}: the member's image is built or imported on this host and is never pulled (needed
   * only on Docker's containerd image store, where holdfast cannot tell); {@code auto} (default):
   * decided from the image's metadata.
   */
  public static final String PULL = "holdfast.pull";

  /** Set by holdfast on each container it creates: the run id. */
  public static final String CREATED_BY_RUN = "holdfast.run";

  /**
   * Set by holdfast on a replacement: the member it replaces. (The old member, set aside, cannot be
   * relabelled, since Docker has no label update: it is known by its name, {@code
   * <member>.holdfast-old-<run>}, and by the run's record.)
   */
  public static final String REPLACES = "holdfast.run.replaces";

  /** Set by holdfast when it created a member from an image id: the reference it came from. */
  public static final String IMAGE_REF = "holdfast.image";

  private Labels() {}
}
