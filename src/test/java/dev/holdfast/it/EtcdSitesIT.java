package dev.holdfast.it;

import static dev.holdfast.site.SiteState.ANNOUNCING;
import static dev.holdfast.site.SiteState.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.etcd.EtcdSites;
import dev.holdfast.etcd.EtcdSitesTestAccess;
import dev.holdfast.site.Admission;
import dev.holdfast.site.Budget;
import dev.holdfast.site.Prefix;
import dev.holdfast.site.Site;
import dev.holdfast.site.Sites;
import dev.holdfast.site.SitesContract;
import dev.holdfast.site.Work;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link EtcdSites} on real three-member etcd clusters, bookworm's 3.4 and sid's 3.5, one instance
 * per simulated host: it keeps {@link SitesContract} as {@code SiteBook} does, a holdfast killed
 * without giving its slots back holds them until its lease expires, takes go on with one member
 * down, and without quorum planned work waits while repairs go, every call within {@link #BOUND}.
 */
class EtcdSitesIT {

  private static final Prefix DNS = Prefix.parse("192.0.2.53/32");
  private static final Prefix NTP = Prefix.parse("198.51.100.123/32");
  private static final Duration TTL = Duration.ofSeconds(4);

  /** What a caller of any {@code Sites} method waits at most, whatever etcd does. */
  private static final Duration BOUND = Duration.ofSeconds(5);

  /** The contract's scenarios share one cluster per binary, each under its own key prefix. */
  private static final Map<EtcdCluster.Binary, EtcdCluster> SHARED =
      new EnumMap<>(EtcdCluster.Binary.class);

  @AfterAll
  static void stopShared() {
    SHARED.values().forEach(EtcdCluster::close);
    SHARED.clear();
  }

  static Stream<Arguments> contract() {
    return Stream.of(EtcdCluster.Binary.values())
        .flatMap(b -> SitesContract.scenarios().stream().map(s -> Arguments.of(b, s)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("contract")
  void keepsTheContract(EtcdCluster.Binary binary, SitesContract.Scenario scenario) {
    EtcdCluster cluster = SHARED.computeIfAbsent(binary, EtcdCluster::start);
    try (Hosts hosts = new Hosts(cluster)) {
      scenario.run(hosts);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(EtcdCluster.Binary.class)
  void aClosedHoldfastGivesItsSlotsBackAtOnce(EtcdCluster.Binary binary) {
    EtcdCluster cluster = SHARED.computeIfAbsent(binary, EtcdCluster::start);
    try (Hosts hosts = new Hosts(cluster)) {
      hosts.host("a").report("a/dns", Set.of(DNS), ANNOUNCING);
      hosts.host("b").report("b/dns", Set.of(DNS), ANNOUNCING);
      assertThat(hosts.host("a").take("a/dns", Work.PLANNED, false).granted()).isTrue();

      hosts.host("a").close();

      // revoked: no slot, and no state either (a closed holdfast reports nothing)
      assertThat(hosts.host("b").view().get(DNS))
          .containsExactly(new Site("a/dns", UNKNOWN, false), new Site("b/dns", ANNOUNCING, false));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(EtcdCluster.Binary.class)
  void aKilledHoldfastsSlotLastsUntilItsLeaseExpiresAndItsSiteIsUnknownUntilItReports(
      EtcdCluster.Binary binary) {
    try (EtcdCluster cluster = EtcdCluster.start(binary);
        Hosts hosts = new Hosts(cluster)) {
      EtcdSites a = hosts.host("a");
      Sites b = hosts.host("b");
      a.report("a/dns", Set.of(DNS), ANNOUNCING);
      b.report("b/dns", Set.of(DNS), ANNOUNCING);
      assertThat(a.take("a/dns", Work.PLANNED, false).granted()).isTrue();
      // one keep-alive round at least, so the lease lives on renewals, not on its grant
      Instant granted = EtcdSitesTestAccess.leaseRenewed(a).orElseThrow();
      await()
          .atMost(TTL)
          .until(() -> EtcdSitesTestAccess.leaseRenewed(a).orElseThrow().isAfter(granted));

      Instant killed = Instant.now();
      EtcdSitesTestAccess.abandon(a);
      Instant renewed = EtcdSitesTestAccess.leaseRenewed(a).orElseThrow();

      // the slot stays while the lease lives: b waits, as when a's holdfast was alive
      assertThat(b.take("b/dns", Work.PLANNED, false).toString())
          .contains("a/dns announcing (slot)", "1 of 2 away (a/dns)");
      Instant[] freed = new Instant[1];
      await()
          .atMost(TTL.plusSeconds(5))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                List<Site> sites = b.view().get(DNS);
                freed[0] = Instant.now();
                return sites.contains(new Site("a/dns", UNKNOWN, false));
              });
      Duration afterRenewal = Duration.between(renewed, freed[0]);
      Duration afterKill = Duration.between(killed, freed[0]);
      System.out.printf(
          "EtcdSitesIT %s (%s): killed holdfast's slot freed %d ms after its last renewal, %d ms"
              + " after the kill (TTL %d ms)%n",
          binary, cluster.version(), afterRenewal.toMillis(), afterKill.toMillis(), TTL.toMillis());
      assertThat(afterRenewal).isGreaterThanOrEqualTo(TTL.minusMillis(250));
      assertThat(afterKill).isLessThanOrEqualTo(TTL.plusSeconds(3));

      // unknown is away: b still waits, for a site nobody reports any more
      assertThat(b.take("b/dns", Work.PLANNED, false).toString())
          .contains("a/dns unknown", "1 of 2 away (a/dns)");

      // host a's holdfast starts again and reports its site
      Sites again = hosts.restart("a");
      again.report("a/dns", Set.of(DNS), ANNOUNCING);
      assertThat(b.view().get(DNS)).contains(new Site("a/dns", ANNOUNCING, false));
      assertThat(b.take("b/dns", Work.PLANNED, false).granted()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(EtcdCluster.Binary.class)
  void takesGoOnWithTheLeaderKilledMidway(EtcdCluster.Binary binary) {
    try (EtcdCluster cluster = EtcdCluster.start(binary);
        Hosts hosts = new Hosts(cluster)) {
      Sites a = hosts.host("a");
      Sites b = hosts.host("b");
      a.report("a/dns", Set.of(DNS), ANNOUNCING);
      b.report("b/dns", Set.of(DNS), ANNOUNCING);
      assertThat(a.take("a/dns", Work.PLANNED, false).granted()).isTrue();

      int leader = cluster.leader();
      assertThat(leader).as("a leader").isNotNegative();
      Instant killed = Instant.now();
      cluster.kill(leader);

      bounded(
          "release during the election",
          () -> {
            a.release("a/dns");
            return null;
          });
      // the election takes a second or two; meanwhile takes wait and the keeper writes the release
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> bounded("take by b", () -> b.take("b/dns", Work.PLANNED, false)).granted());
      long recovered = Duration.between(killed, Instant.now()).toMillis();
      assertThat(bounded("take by a", () -> a.take("a/dns", Work.PLANNED, false)).toString())
          .contains("1 of 2 away (b/dns)");

      // with two of three, each call answers the first time; a saw the new leader only now, so
      // its planned work waits one TTL and the margin (LeaderWatch), then goes
      b.release("b/dns");
      Instant t0 = Instant.now();
      Admission second = bounded("take by a", () -> a.take("a/dns", Work.PLANNED, false));
      long took = Duration.between(t0, Instant.now()).toMillis();
      assertThat(second.granted() || second.reason().contains("etcd has a new leader"))
          .as(second.toString())
          .isTrue();
      await()
          .atMost(TTL.plusSeconds(6))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  a.holdsSlot("a/dns")
                      || bounded("take by a", () -> a.take("a/dns", Work.PLANNED, false))
                          .granted());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> a.problem().isEmpty() && b.problem().isEmpty());
      System.out.printf(
          "EtcdSitesIT %s (%s): leader killed, first take granted after %d ms; with 2 of 3 a take"
              + " took %d ms%n",
          binary, cluster.version(), recovered, took);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(EtcdCluster.Binary.class)
  void withoutQuorumPlannedWorkWaitsAndRepairsGoWithinTheBound(EtcdCluster.Binary binary) {
    try (EtcdCluster cluster = EtcdCluster.start(binary);
        Hosts hosts = new Hosts(cluster)) {
      Sites a = hosts.host("a");
      Sites b = hosts.host("b");
      a.report("a/dns", Set.of(DNS), ANNOUNCING);
      b.report("b/dns", Set.of(DNS), ANNOUNCING);
      assertThat(a.view()).containsKey(DNS);

      int leader = cluster.leader();
      cluster.kill(leader);
      int other = (leader + 1) % 3;
      cluster.kill(other);
      Instant lost = Instant.now();

      Admission planned = bounded("planned take", () -> a.take("a/dns", Work.PLANNED, false));
      assertThat(planned.granted()).as(planned.toString()).isFalse();
      assertThat(planned.reason())
          .contains("etcd unreachable or without quorum", "no planned withdrawal starts");
      Admission repair = bounded("repair take", () -> b.take("b/dns", Work.REPAIR, false));
      assertThat(repair.granted()).as(repair.toString()).isTrue();
      assertThat(repair.reason()).contains("a repair of a broken site never waits");
      assertThat(b.holdsSlot("b/dns")).isTrue();
      assertThat(a.problem()).hasValueSatisfying(p -> assertThat(p).contains("etcd"));
      assertThat(b.problem()).hasValueSatisfying(p -> assertThat(p).contains("etcd"));

      // every other call answers within the bound too, from what was last read or said
      assertThat(bounded("view", a::view).get(DNS))
          .extracting(Site::id)
          .containsExactly("a/dns", "b/dns");
      assertThat(bounded("halts", a::halts)).isEmpty();
      bounded(
          "report",
          () -> {
            a.report("a/ntp", Set.of(NTP), ANNOUNCING);
            return null;
          });
      bounded(
          "halt",
          () -> {
            a.halt(Set.of(NTP), "a/ntp rolled back");
            return null;
          });
      assertThat(bounded("halts", b::halts)).isEmpty();
      assertThat(bounded("halts", a::halts)).containsOnlyKeys(NTP);
      bounded("problem", a::problem);

      // past the TTL the lease is lost: still no planned work, now for that reason
      await()
          .atMost(TTL.plusSeconds(4))
          .until(() -> a.problem().orElse("").contains("etcd lease lost"));
      long leaseLostAfter = Duration.between(lost, Instant.now()).toMillis();
      Admission late = bounded("planned take", () -> a.take("a/dns", Work.PLANNED, false));
      assertThat(late.reason()).contains("etcd lease lost: no new withdrawal starts");
      assertThat(bounded("repair take", () -> a.take("a/ntp", Work.REPAIR, false)).granted())
          .isTrue();
      a.release("a/ntp");

      cluster.restart(leader);
      cluster.restart(other);
      Instant back = Instant.now();
      cluster.awaitHealthy(Duration.ofSeconds(30));

      // once etcd answers: a new lease, and what each host said meanwhile is in etcd
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> a.problem().isEmpty() && b.problem().isEmpty());
      long answeredAfter = Duration.between(back, Instant.now()).toMillis();
      assertThat(a.view().get(DNS))
          .containsExactly(
              new Site("a/dns", ANNOUNCING, false), new Site("b/dns", ANNOUNCING, true));
      assertThat(b.view().get(NTP)).containsExactly(new Site("a/ntp", ANNOUNCING, false));
      assertThat(b.halts()).containsOnlyKeys(NTP);
      assertThat(a.take("a/dns", Work.PLANNED, false).toString()).contains("1 of 2 away (b/dns)");

      b.release("b/dns");
      // a new leader was elected: planned work goes once states from before it cannot come back
      await()
          .atMost(TTL.plusSeconds(6))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> bounded("planned take", () -> a.take("a/dns", Work.PLANNED, false)).granted());
      System.out.printf(
          "EtcdSitesIT %s (%s): without quorum every call within %d ms; lease lost %d ms after the"
              + " quorum; etcd answered %d ms after the members restarted%n",
          binary, cluster.version(), Bounded.max, leaseLostAfter, answeredAfter);
    }
  }

  /**
   * A holdfast that dies while etcd has no quorum leaves its site's state under a lease a new
   * leader extends: etcd shows the dead site announcing again for up to a TTL after the quorum is
   * back. Planned work must not count on it (issue seen in SitesEtcdIT: the prefix lost every
   * route).
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(EtcdCluster.Binary.class)
  void statesThatANewLeadersLeaseExtensionBringsBackAreNotCountedOn(EtcdCluster.Binary binary) {
    try (EtcdCluster cluster = EtcdCluster.start(binary);
        Hosts hosts = new Hosts(cluster)) {
      EtcdSites a = hosts.host("a");
      EtcdSites b = hosts.host("b");
      a.report("a/dns", Set.of(DNS), ANNOUNCING);
      b.report("b/dns", Set.of(DNS), ANNOUNCING);
      assertThat(a.view().get(DNS)).contains(new Site("b/dns", ANNOUNCING, false));

      int leader = cluster.leader();
      int other = (leader + 1) % 3;
      cluster.kill(leader);
      cluster.kill(other);
      EtcdSitesTestAccess.abandon(b); // b's holdfast dies meanwhile: nobody writes for b again
      Registry.pause(TTL.plusSeconds(1).toMillis()); // past the TTL: without quorum, no expiry

      cluster.restart(leader);
      cluster.restart(other);
      cluster.awaitHealthy(Duration.ofSeconds(30));
      Instant back = Instant.now();
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> a.problem().isEmpty());
      List<Site> right = a.view().get(DNS);
      Admission first = bounded("planned take", () -> a.take("a/dns", Work.PLANNED, false));
      assertThat(first.granted()).as(first + " with " + right).isFalse();

      // once b's old lease is gone, b is unknown: a still waits, now for the budget's reason
      await()
          .atMost(TTL.plusSeconds(8))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> a.view().get(DNS).contains(new Site("b/dns", UNKNOWN, false)));
      Admission later = bounded("planned take", () -> a.take("a/dns", Work.PLANNED, false));
      assertThat(later.toString()).contains("b/dns unknown", "1 of 2 away (b/dns)");
      System.out.printf(
          "EtcdSitesIT %s (%s): after the quorum came back, b (dead) showed %s; a's first take: %s;"
              + " b unknown %d ms after the quorum%n",
          binary,
          cluster.version(),
          right,
          first.reason(),
          Duration.between(back, Instant.now()).toMillis());
    }
  }

  /** Runs a call of {@code Sites} and fails when it takes longer than {@link #BOUND}. */
  private static <T> T bounded(String what, Supplier<T> call) {
    Instant t0 = Instant.now();
    T result = call.get();
    Duration took = Duration.between(t0, Instant.now());
    Bounded.max = Math.max(Bounded.max, took.toMillis());
    assertThat(took).as(what + " took").isLessThanOrEqualTo(BOUND);
    return result;
  }

  /** The longest call {@link #bounded} saw in this JVM, for the printed figures. */
  private static final class Bounded {
    static volatile long max;
  }

  /**
   * One {@link EtcdSites} per host name on one cluster, all under a key prefix of their own (so
   * scenarios sharing a cluster never see each other), closed at the end.
   */
  private static final class Hosts
      implements SitesContract.Worlds, SitesContract.World, AutoCloseable {

    private final EtcdCluster cluster;
    private final String keyPrefix = "/holdfast-it/" + UUID.randomUUID() + "/";
    private final Map<String, EtcdSites> hosts = new ConcurrentHashMap<>();
    private final List<EtcdSites> all = new CopyOnWriteArrayList<>();
    private volatile Map<Prefix, Budget> budgets = Map.of();

    Hosts(EtcdCluster cluster) {
      this.cluster = cluster;
    }

    @Override
    public SitesContract.World create(Map<Prefix, Budget> budgets) {
      this.budgets = budgets;
      return this;
    }

    @Override
    public EtcdSites host(String name) {
      return hosts.computeIfAbsent(name, n -> connect());
    }

    /** A new holdfast on host {@code name}, as after a restart. */
    EtcdSites restart(String name) {
      EtcdSites s = connect();
      hosts.put(name, s);
      return s;
    }

    private EtcdSites connect() {
      EtcdSites s = EtcdSites.connect(cluster.endpoints(), keyPrefix, TTL, budgets);
      all.add(s);
      assertThat(s.problem())
          .as("a fresh instance on a healthy cluster")
          .isEqualTo(Optional.empty());
      return s;
    }

    @Override
    public void close() {
      all.forEach(EtcdSites::close);
    }
  }
}
