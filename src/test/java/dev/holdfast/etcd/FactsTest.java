package dev.holdfast.etcd;

import static dev.holdfast.site.SiteState.ANNOUNCING;
import static dev.holdfast.site.SiteState.UNKNOWN;
import static dev.holdfast.site.SiteState.WITHDRAWN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.site.Prefix;
import dev.holdfast.site.Site;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FactsTest {

  private static final Prefix DNS = Prefix.parse("192.0.2.53/32");
  private static final Prefix NTP = Prefix.parse("198.51.100.123/32");
  private static final EtcdKeys KEYS = new EtcdKeys("/hf/");

  private static Facts.Kv kv(String key, String value, long rev) {
    return new Facts.Kv(key, value.getBytes(StandardCharsets.UTF_8), rev);
  }

  private static final Facts.Local NOBODY_HERE =
      new Facts.Local(Map.of(), Map.of(), Map.of(), Set.of());

  @Test
  void aReadGivesEachPrefixItsSitesInIdOrder() {
    Facts f =
        Facts.parse(
            KEYS,
            List.of(
                kv(KEYS.member(DNS, "b/dns"), "{}", 3),
                kv(KEYS.member(DNS, "a/dns"), "{}", 2),
                kv(KEYS.member(DNS, "c/dns"), "{}", 4),
                kv(KEYS.state("a/dns"), "ANNOUNCING", 5),
                kv(KEYS.state("b/dns"), "WITHDRAWN", 6),
                kv(KEYS.slot(DNS, "b/dns"), "PLANNED", 7),
                kv(KEYS.guard(DNS), "b/dns", 7),
                kv(KEYS.halt(NTP), "rolled back", 8),
                kv("/hf/unrelated", "x", 9)));

    assertThat(f.sites(NOBODY_HERE))
        .containsExactly(
            Map.entry(
                DNS,
                List.of(
                    new Site("a/dns", ANNOUNCING, false),
                    new Site("b/dns", WITHDRAWN, true),
                    new Site("c/dns", UNKNOWN, false))));
    assertThat(f.guard(DNS)).isEqualTo(7);
    assertThat(f.guard(NTP)).isZero();
    assertThat(f.halts()).containsExactly(Map.entry(NTP, "rolled back"));
  }

  @Test
  void thisInstancesSitesAreAsItKnowsThem() {
    Facts f =
        Facts.parse(
            KEYS,
            List.of(
                kv(KEYS.member(DNS, "a/dns"), "{}", 2),
                kv(KEYS.member(NTP, "a/dns"), "{}", 2),
                kv(KEYS.member(DNS, "gone/dns"), "{}", 2),
                kv(KEYS.state("a/dns"), "ANNOUNCING", 5),
                kv(KEYS.state("gone/dns"), "ANNOUNCING", 5)));
    Facts.Local local =
        new Facts.Local(
            Map.of("a/dns", Set.of(DNS), "new/dns", Set.of(DNS)),
            Map.of("a/dns", WITHDRAWN, "new/dns", ANNOUNCING),
            Map.of("a/dns", Set.of(DNS)),
            Set.of("gone/dns"));

    // a/dns no longer announces NTP here, whatever etcd still says; gone/dns was forgotten
    assertThat(f.sites(local))
        .containsExactly(
            Map.entry(
                DNS,
                List.of(
                    new Site("a/dns", WITHDRAWN, true), new Site("new/dns", ANNOUNCING, false))));
    assertThat(f.prefixesOf("a/dns")).containsExactly(DNS, NTP);
  }
}
