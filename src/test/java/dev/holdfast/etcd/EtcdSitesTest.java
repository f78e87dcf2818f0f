package dev.holdfast.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.site.Admission;
import dev.holdfast.site.Prefix;
import dev.holdfast.site.Site;
import dev.holdfast.site.SiteState;
import dev.holdfast.site.Work;
import dev.holdfast.testing.Ports;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** EtcdSites where no etcd answers (a closed loopback port): it fails closed, and fast. */
class EtcdSitesTest {

  private static final Prefix DNS = Prefix.parse("192.0.2.53/32");

  @Test
  void withoutEtcdPlannedWorkWaitsAndRepairsGoWithinTheBound() {
    long t0 = System.nanoTime();
    try (EtcdSites sites =
        EtcdSites.connect(
            List.of("http://127.0.0.1:" + Ports.free()),
            EtcdSites.DEFAULT_KEY_PREFIX,
            EtcdSites.DEFAULT_TTL,
            Duration.ofMillis(500),
            Map.of())) {
      assertThat(sites.problem()).hasValueSatisfying(p -> assertThat(p).contains("etcd"));
      sites.report("a/dns", Set.of(DNS), SiteState.ANNOUNCING);

      Admission planned = sites.take("a/dns", Work.PLANNED, false);
      assertThat(planned.granted()).isFalse();
      assertThat(planned.reason())
          .startsWith("etcd unreachable or without quorum (")
          .endsWith("): no planned withdrawal starts");
      Admission repair = sites.take("a/dns", Work.REPAIR, false);
      assertThat(repair.toString())
          .startsWith("go: [192.0.2.53/32]: etcd unreachable or without quorum")
          .endsWith(
              "a repair of a broken site never waits (its slot is recorded once etcd answers)");
      assertThat(sites.holdsSlot("a/dns")).isTrue();
      // nothing read from etcd: the view is what this instance knows of its own sites
      assertThat(sites.view())
          .containsExactly(Map.entry(DNS, List.of(new Site("a/dns", SiteState.ANNOUNCING, true))));
      assertThat(sites.halts()).isEmpty();
      assertThatThrownBy(() -> sites.resume(DNS))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("stays halted");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void settingsAreCheckedBeforeAnythingConnects() {
    assertThatThrownBy(() -> EtcdSites.connect(List.of(), "/h/", Duration.ofSeconds(10), Map.of()))
        .hasMessageContaining("no etcd endpoint");
    assertThatThrownBy(
            () ->
                EtcdSites.connect(
                    List.of("127.0.0.1:2379"), "/h/", Duration.ofSeconds(10), Map.of()))
        .hasMessageContaining("http://HOST:PORT");
    assertThatThrownBy(
            () ->
                EtcdSites.connect(
                    List.of("http://127.0.0.1:2379"), "/h/", Duration.ofSeconds(1), Map.of()))
        .hasMessageContaining("TTL must be 2 s or more");
    assertThatThrownBy(
            () ->
                EtcdSites.connect(
                    List.of("http://127.0.0.1:2379"), "", Duration.ofSeconds(10), Map.of()))
        .hasMessageContaining("key prefix");
    assertThatThrownBy(
            () ->
                EtcdSites.connect(
                    List.of("http://127.0.0.1:2379"),
                    "/h/",
                    Duration.ofSeconds(10),
                    Duration.ofMillis(10),
                    Map.of()))
        .hasMessageContaining("timeout must be 200 ms or more");
  }
}
