package dev.holdfast.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.site.Prefix;
import dev.holdfast.site.SiteState;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EtcdKeysTest {

  private static final Prefix DNS = Prefix.parse("192.0.2.53/32");
  private static final Prefix V6 = Prefix.parse("2001:db8::/48");
  private static final EtcdKeys KEYS = new EtcdKeys("/holdfast/");

  @Test
  void prefixesAndSiteIdsAreOneSegmentEach() {
    assertThat(KEYS.member(DNS, "host-a/dns"))
        .isEqualTo("/holdfast/members/192.0.2.53%2F32/host-a%2Fdns");
    assertThat(KEYS.members(DNS)).isEqualTo("/holdfast/members/192.0.2.53%2F32/");
    assertThat(KEYS.slot(V6, "b/dns")).isEqualTo("/holdfast/slots/2001:db8::%2F48/b%2Fdns");
    assertThat(KEYS.state("b/dns")).isEqualTo("/holdfast/state/b%2Fdns");
    assertThat(KEYS.guard(DNS)).isEqualTo("/holdfast/guard/192.0.2.53%2F32");
    assertThat(KEYS.halt(V6)).isEqualTo("/holdfast/halts/2001:db8::%2F48");
  }

  @Test
  void everyKeyReadsBackToWhatItNames() {
    String site = "a/b%c d/100%";
    assertThat(KEYS.member(KEYS.member(V6, site))).contains(new EtcdKeys.Entry(V6, site));
    assertThat(KEYS.slot(KEYS.slot(DNS, site))).contains(new EtcdKeys.Entry(DNS, site));
    assertThat(KEYS.stateSite(KEYS.state(site))).contains(site);
    assertThat(KEYS.guardPrefix(KEYS.guard(V6))).contains(V6);
    assertThat(KEYS.haltPrefix(KEYS.halt(DNS))).contains(DNS);
  }

  @Test
  void aKeyOfAnotherKindOrAnotherRootIsNoneOfOurs() {
    assertThat(KEYS.member(KEYS.slot(DNS, "a/dns"))).isEmpty();
    assertThat(KEYS.slot(KEYS.member(DNS, "a/dns"))).isEmpty();
    assertThat(new EtcdKeys("/other/").member(KEYS.member(DNS, "a/dns"))).isEmpty();
    assertThat(KEYS.member("/holdfast/members/192.0.2.53%2F32")).isEmpty();
    assertThat(KEYS.member("/holdfast/members/not-a-prefix/a")).isEmpty();
    assertThat(KEYS.member("/holdfast/members/192.0.2.53%2F32/a/b")).isEmpty();
    // a prefix only in canonical spelling: 192.0.2.1/24 names 192.0.2.0/24 and is no key of ours
    assertThat(KEYS.haltPrefix("/holdfast/halts/192.0.2.1%2F24")).isEmpty();
    assertThat(KEYS.stateSite("/holdfast/state/")).isEmpty();
  }

  @Test
  void aPrefixsKeysAreExactlyThoseUnderItsDirectory() {
    Prefix p8 = Prefix.parse("10.0.0.0/8");
    Prefix p9 = Prefix.parse("10.0.0.0/9");
    Prefix p28 = Prefix.parse("10.0.0.0/28");
    assertThat(KEYS.member(p8, "a")).startsWith(KEYS.members(p8));
    assertThat(KEYS.member(p9, "a")).doesNotStartWith(KEYS.members(p8));
    assertThat(KEYS.member(p28, "a")).doesNotStartWith(KEYS.members(p8));
    assertThat(KEYS.member(p8, "a")).doesNotStartWith(KEYS.members(p9));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "a/b", "%", "%2F", "x y", "tab\there", "ümlaut/ß", "//", "a%b/c%"})
  void segmentsRoundTripAndHoldNoSlash(String name) {
    String s = EtcdKeys.segment(name);
    assertThat(s).doesNotContain("/").doesNotContain("\t");
    assertThat(EtcdKeys.unsegment(s)).contains(name);
  }

  @Test
  void aSegmentHasOneSpelling() {
    assertThat(EtcdKeys.segment("a/b%")).isEqualTo("a%2Fb%25");
    assertThat(EtcdKeys.unsegment("a%2fb")).isEmpty();
    assertThat(EtcdKeys.unsegment("%41")).isEmpty();
    assertThat(EtcdKeys.unsegment("a%2")).isEmpty();
    assertThat(EtcdKeys.unsegment("a%zz")).isEmpty();
    assertThat(EtcdKeys.unsegment("")).isEmpty();
    assertThatThrownBy(() -> EtcdKeys.segment("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theRootGetsItsSlashAndMustBeSomething() {
    assertThat(new EtcdKeys("/fleet-a").state("x")).isEqualTo("/fleet-a/state/x");
    assertThat(new EtcdKeys(EtcdKeys.DEFAULT_ROOT).root()).isEqualTo("/holdfast/");
    assertThatThrownBy(() -> new EtcdKeys(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EtcdKeys("/a\n/")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void valuesAreReadableByHand() {
    assertThat(EtcdKeys.membership(Set.of(V6, DNS)))
        .isEqualTo("{\"prefixes\":[\"192.0.2.53/32\",\"2001:db8::/48\"]}");
    assertThat(EtcdKeys.membership(Set.of())).isEqualTo("{\"prefixes\":[]}");
    assertThat(EtcdKeys.state("ANNOUNCING".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(SiteState.ANNOUNCING);
    assertThat(EtcdKeys.state("WITHDRAWN".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(SiteState.WITHDRAWN);
    assertThat(EtcdKeys.state("announcing?".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(SiteState.UNKNOWN);
  }
}
