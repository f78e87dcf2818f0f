package dev.holdfast.site;

import static dev.holdfast.site.SiteState.ANNOUNCING;
import static dev.holdfast.site.SiteState.UNKNOWN;
import static dev.holdfast.site.SiteState.WITHDRAWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What every {@link Sites} does, as scenarios over hosts that each ask their own: {@link SiteBook}
 * (one book, every host in one process: {@code SiteBookContractTest}) and the etcd store (one
 * instance per host on a real cluster: {@code EtcdSitesIT}) run the same list, so the one-host book
 * the runner tests use answers as the shared one does, to the letter of the reasons.
 */
public final class SitesContract {

  static final Prefix DNS = Prefix.parse("192.0.2.53/32");
  static final Prefix NTP = Prefix.parse("198.51.100.123/32");
  static final Prefix V6 = Prefix.parse("2001:db8::53/128");

  /** The hosts of one scenario, sharing its budgets. */
  public interface World {
    /** The store host {@code name}'s holdfast asks (made on first use). */
    Sites host(String name);
  }

  /** Makes the world of one scenario. */
  public interface Worlds {
    World create(Map<Prefix, Budget> budgets);
  }

  public record Scenario(String name, Map<Prefix, Budget> budgets, Consumer<World> body) {
    public void run(Worlds worlds) {
      body.accept(worlds.create(budgets));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private SitesContract() {}

  public static List<Scenario> scenarios() {
    return List.of(
        new Scenario(
            "two hosts, one prefix: one take at once, the other after release",
            Map.of(),
            SitesContract::oneAtOnce),
        new Scenario(
            "maxWithdrawn=2: two of three sites at once",
            Map.of(DNS, new Budget(2, 1)),
            SitesContract::twoOfThree),
        new Scenario(
            "minAnnounced keeps the last announcing site",
            Map.of(DNS, new Budget(3, 1)),
            SitesContract::minAnnounced),
        new Scenario(
            "a withdrawn site counts as away until it announces again",
            Map.of(),
            SitesContract::withdrawnIsAway),
        new Scenario(
            "a repair goes over the budget and others then wait",
            Map.of(),
            SitesContract::repairOverBudget),
        new Scenario(
            "a halt on one host holds every host until resumed; repairs go",
            Map.of(),
            SitesContract::haltEverywhere),
        new Scenario(
            "unrelated prefixes never wait for each other", Map.of(), SitesContract::unrelated),
        new Scenario(
            "a retried take keeps the slots it holds", Map.of(), SitesContract::retriedTake),
        new Scenario(
            "a forgotten site is no site of the prefix", Map.of(), SitesContract::forgotten),
        new Scenario(
            "a site that changes its prefixes leaves the old ones",
            Map.of(),
            SitesContract::prefixesChange),
        new Scenario(
            "a group without known prefixes is never held back",
            Map.of(),
            SitesContract::noPrefixes),
        new Scenario(
            "takes at once from every host never pass the budget together",
            Map.of(DNS, new Budget(2, 0)),
            SitesContract::atOnce));
  }

  private static void oneAtOnce(World w) {
    Sites a = w.host("a");
    Sites b = w.host("b");
    a.report("a/dns", Set.of(DNS), ANNOUNCING);
    b.report("b/dns", Set.of(DNS), ANNOUNCING);

    assertThat(a.take("a/dns", Work.PLANNED, false).granted()).isTrue();
    assertThat(a.holdsSlot("a/dns")).isTrue();
    assertThat(b.take("b/dns", Work.PLANNED, false).toString())
        .isEqualTo(
            "wait: 192.0.2.53/32: a/dns announcing (slot), b/dns announcing; 1 of 2 away (a/dns),"
                + " at most 1 at once");
    assertThat(b.holdsSlot("b/dns")).isFalse();
    assertThat(b.view().get(DNS))
        .containsExactly(new Site("a/dns", ANNOUNCING, true), new Site("b/dns", ANNOUNCING, false));

    a.release("a/dns");
    assertThat(a.holdsSlot("a/dns")).isFalse();
    assertThat(b.take("b/dns", Work.PLANNED, false).toString())
        .isEqualTo(
            "go: 192.0.2.53/32: a/dns announcing, b/dns announcing; b/dns withdraws, 1 announce on");
    assertThat(a.take("a/dns", Work.PLANNED, false).granted()).isFalse();
  }

  private static void twoOfThree(World w) {
    for (String h : List.of("a", "b", "c")) {
      w.host(h).report(h + "/dns", Set.of(DNS), ANNOUNCING);
    }
    assertThat(w.host("a").take("a/dns", Work.PLANNED, false).granted()).isTrue();
    assertThat(w.host("b").take("b/dns", Work.PLANNED, false).granted()).isTrue();
    assertThat(w.host("c").take("c/dns", Work.PLANNED, false).toString())
        .startsWith("wait: ")
        .contains("2 of 3 away (a/dns, b/dns), at most 2 at once");
    w.host("b").release("b/dns");
    assertThat(w.host("c").take("c/dns", Work.PLANNED, false).granted()).isTrue();
  }

  private static void minAnnounced(World w) {
    for (String h : List.of("a", "b", "c")) {
      w.host(h).report(h + "/dns", Set.of(DNS), ANNOUNCING);
    }
    assertThat(w.host("a").take("a/dns", Work.PLANNED, false).granted()).isTrue();
    assertThat(w.host("b").take("b/dns", Work.PLANNED, false).granted()).isTrue();
    assertThat(w.host("c").take("c/dns", Work.PLANNED, false).toString())
        .isEqualTo(
            "wait: 192.0.2.53/32: a/dns announcing (slot), b/dns announcing (slot), c/dns"
                + " announcing; withdrawing c/dns would leave 0 announcing, at least 1 must");
    assertThat(w.host("c").take("c/dns", Work.PLANNED, true).toString())
        .endsWith("the budget (maxWithdrawn=3 minAnnounced=1) overridden by the operator");
  }

  private static void withdrawnIsAway(World w) {
    w.host("a").report("a/dns", Set.of(DNS), WITHDRAWN);
    w.host("b").report("b/dns", Set.of(DNS), ANNOUNCING);
    assertThat(w.host("b").take("b/dns", Work.PLANNED, false).granted()).isFalse();
    w.host("a").report("a/dns", Set.of(DNS), ANNOUNCING);
    assertThat(w.host("b").take("b/dns", Work.PLANNED, false).granted()).isTrue();
  }

  private static void repairOverBudget(World w) {
    w.host("a").report("a/dns", Set.of(DNS), ANNOUNCING);
    w.host("b").report("b/dns", Set.of(DNS), UNKNOWN);
    w.host("c").report("c/dns", Set.of(DNS), ANNOUNCING);
    assertThat(w.host("a").take("a/dns", Work.PLANNED, false).granted()).isFalse();
    assertThat(w.host("c").take("c/dns", Work.REPAIR, false).toString())
        .isEqualTo(
            "go: 192.0.2.53/32: a/dns announcing, b/dns unknown, c/dns announcing; a repair of a"
                + " broken site never waits");
    assertThat(w.host("c").holdsSlot("c/dns")).isTrue();
    assertThat(w.host("a").view().get(DNS))
        .containsExactly(
            new Site("a/dns", ANNOUNCING, false),
            new Site("b/dns", UNKNOWN, false),
            new Site("c/dns", ANNOUNCING, true));
  }

  private static void haltEverywhere(World w) {
    Sites a = w.host("a");
    Sites b = w.host("b");
    a.report("a/dns", Set.of(DNS), ANNOUNCING);
    b.report("b/dns", Set.of(DNS), ANNOUNCING);

    a.halt(Set.of(DNS), "a/dns rolled back");
    b.halt(Set.of(DNS), "a later failure");
    assertThat(b.halts()).containsExactly(Map.entry(DNS, "a/dns rolled back"));
    assertThat(b.take("b/dns", Work.PLANNED, true).toString())
        .isEqualTo(
            "wait: 192.0.2.53/32 is halted (a/dns rolled back); an operator resumes it: holdfast"
                + " resume 192.0.2.53/32");

    assertThat(b.resume(DNS)).isTrue();
    assertThat(a.halts()).isEmpty();
    assertThat(a.resume(DNS)).isFalse();
    assertThat(a.take("a/dns", Work.PLANNED, false).granted()).isTrue();

    a.release("a/dns");
    a.halt(Set.of(DNS), "again");
    assertThat(b.take("b/dns", Work.REPAIR, false).granted()).isTrue();
  }

  private static void unrelated(World w) {
    w.host("a").report("a/dns", Set.of(DNS), ANNOUNCING);
    w.host("b").report("b/dns", Set.of(DNS), ANNOUNCING);
    w.host("a").report("a/ntp", Set.of(NTP), ANNOUNCING);
    w.host("b").report("b/ntp", Set.of(NTP), ANNOUNCING);
    assertThat(w.host("a").take("a/dns", Work.PLANNED, false).granted()).isTrue();
    assertThat(w.host("b").take("b/ntp", Work.PLANNED, false).granted()).isTrue();
    assertThat(w.host("a").take("a/ntp", Work.PLANNED, false).granted()).isFalse();
  }

  private static void retriedTake(World w) {
    w.host("a").report("a/dns", Set.of(DNS, V6), ANNOUNCING);
    w.host("b").report("b/dns", Set.of(DNS, V6), ANNOUNCING);
    w.host("a").take("a/dns", Work.PLANNED, false);
    assertThat(w.host("a").take("a/dns", Work.PLANNED, false).toString())
        .isEqualTo("go: slots held already on [192.0.2.53/32, 2001:db8::53/128]");
    assertThat(w.host("b").view())
        .containsOnlyKeys(DNS, V6)
        .containsEntry(
            V6, List.of(new Site("a/dns", ANNOUNCING, true), new Site("b/dns", ANNOUNCING, false)));
  }

  private static void forgotten(World w) {
    w.host("a").report("a/dns", Set.of(DNS), ANNOUNCING);
    w.host("b").report("b/dns", Set.of(DNS), WITHDRAWN);
    w.host("b").forget("b/dns");
    assertThat(w.host("a").take("a/dns", Work.PLANNED, false).toString())
        .isEqualTo("go: 192.0.2.53/32: a/dns announcing; a/dns withdraws, 0 announce on");
    assertThat(w.host("b").view().get(DNS)).containsExactly(new Site("a/dns", ANNOUNCING, true));
  }

  private static void prefixesChange(World w) {
    w.host("a").report("a/dns", Set.of(DNS, NTP), ANNOUNCING);
    w.host("b").report("b/dns", Set.of(DNS), ANNOUNCING);
    w.host("a").report("a/dns", Set.of(NTP), ANNOUNCING);
    assertThat(w.host("b").view())
        .containsEntry(DNS, List.of(new Site("b/dns", ANNOUNCING, false)))
        .containsEntry(NTP, List.of(new Site("a/dns", ANNOUNCING, false)));
  }

  private static void noPrefixes(World w) {
    assertThat(w.host("a").take("a/web", Work.PLANNED, false).toString())
        .isEqualTo("go: no known prefix: nothing to hold back");
  }

  /** Three hosts take at the same instant, many times over: at most two ever pass together. */
  private static void atOnce(World w) {
    List<String> hosts = List.of("a", "b", "c");
    for (String h : hosts) {
      w.host(h).report(h + "/dns", Set.of(DNS), ANNOUNCING);
    }
    ExecutorService pool = Executors.newFixedThreadPool(hosts.size());
    try {
      for (int round = 0; round < 20; round++) {
        CyclicBarrier together = new CyclicBarrier(hosts.size());
        List<Future<Boolean>> takes = new ArrayList<>();
        for (String h : hosts) {
          takes.add(
              pool.submit(
                  () -> {
                    together.await(10, TimeUnit.SECONDS);
                    return w.host(h).take(h + "/dns", Work.PLANNED, false).granted();
                  }));
        }
        int granted = 0;
        for (Future<Boolean> f : takes) {
          granted += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        // never three (the budget); and not fewer than two: a take that lost a race reads again
        assertThat(granted).as("takes granted in round " + round).isEqualTo(2);
        assertThat(w.host("a").view().get(DNS).stream().filter(Site::holdsSlot).count())
            .as("slots held after round " + round)
            .isEqualTo(granted);
        for (String h : hosts) {
          w.host(h).release(h + "/dns");
        }
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      pool.shutdownNow();
    }
  }
}
