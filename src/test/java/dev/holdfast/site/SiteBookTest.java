package dev.holdfast.site;

import static dev.holdfast.site.SiteState.ANNOUNCING;
import static dev.holdfast.site.SiteState.UNKNOWN;
import static dev.holdfast.site.SiteState.WITHDRAWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SiteBookTest {

  private static final Prefix DNS = Prefix.parse("192.0.2.53/32");
  private static final Prefix NTP = Prefix.parse("198.51.100.123/32");

  @Test
  void sitesOfOnePrefixTakeTurnsAndTheSlotGoesBackOnRelease() {
    SiteBook book = new SiteBook(Map.of());
    book.report("a/dns", Set.of(DNS), ANNOUNCING);
    book.report("b/dns", Set.of(DNS), ANNOUNCING);

    assertThat(book.take("a/dns", Work.PLANNED, false).granted()).isTrue();
    assertThat(book.take("b/dns", Work.PLANNED, false).toString())
        .isEqualTo(
            "wait: 192.0.2.53/32: a/dns announcing (slot), b/dns announcing; 1 of 2 away (a/dns),"
                + " at most 1 at once");
    assertThat(book.holdsSlot("b/dns")).isFalse();

    book.release("a/dns");
    assertThat(book.take("b/dns", Work.PLANNED, false).granted()).isTrue();
  }

  @Test
  void aSiteThatReleasedButHasNotReAnnouncedStillCountsAsAway() {
    SiteBook book = new SiteBook(Map.of());
    book.report("a/dns", Set.of(DNS), WITHDRAWN);
    book.report("b/dns", Set.of(DNS), ANNOUNCING);
    assertThat(book.take("b/dns", Work.PLANNED, false).granted()).isFalse();
    book.report("a/dns", Set.of(DNS), ANNOUNCING);
    assertThat(book.take("b/dns", Work.PLANNED, false).granted()).isTrue();
  }

  @Test
  void unrelatedPrefixesNeverWaitForEachOther() {
    SiteBook book = new SiteBook(Map.of());
    book.report("a/dns", Set.of(DNS), ANNOUNCING);
    book.report("b/dns", Set.of(DNS), ANNOUNCING);
    book.report("a/ntp", Set.of(NTP), ANNOUNCING);
    book.report("b/ntp", Set.of(NTP), ANNOUNCING);
    assertThat(book.take("a/dns", Work.PLANNED, false).granted()).isTrue();
    assertThat(book.take("b/ntp", Work.PLANNED, false).granted()).isTrue();
    assertThat(book.take("a/ntp", Work.PLANNED, false).granted()).isFalse();
  }

  @Test
  void threeSitesWithTwoAtOnce() {
    SiteBook book = new SiteBook(Map.of(DNS, new Budget(2, 1)));
    for (String s : new String[] {"a/dns", "b/dns", "c/dns"}) {
      book.report(s, Set.of(DNS), ANNOUNCING);
    }
    assertThat(book.take("a/dns", Work.PLANNED, false).granted()).isTrue();
    assertThat(book.take("b/dns", Work.PLANNED, false).granted()).isTrue();
    assertThat(book.take("c/dns", Work.PLANNED, false).toString())
        .startsWith("wait: ")
        .contains("2 of 3 away (a/dns, b/dns), at most 2 at once");
  }

  @Test
  void aRepairTakesItsSlotEvenOverTheBudgetAndOthersThenWait() {
    SiteBook book = new SiteBook(Map.of());
    book.report("a/dns", Set.of(DNS), ANNOUNCING);
    book.report("b/dns", Set.of(DNS), UNKNOWN);
    book.report("c/dns", Set.of(DNS), ANNOUNCING);
    assertThat(book.take("a/dns", Work.PLANNED, false).granted()).isFalse();
    assertThat(book.take("c/dns", Work.REPAIR, false).granted()).isTrue();
    assertThat(book.holdsSlot("c/dns")).isTrue();
    assertThat(book.view().get(DNS))
        .containsExactly(
            new Site("a/dns", ANNOUNCING, false),
            new Site("b/dns", UNKNOWN, false),
            new Site("c/dns", ANNOUNCING, true));
  }

  @Test
  void aRetriedTakeKeepsTheSlotsItHolds() {
    SiteBook book = new SiteBook(Map.of());
    book.report("a/dns", Set.of(DNS), ANNOUNCING);
    book.report("b/dns", Set.of(DNS), ANNOUNCING);
    book.take("a/dns", Work.PLANNED, false);
    assertThat(book.take("a/dns", Work.PLANNED, false).toString())
        .isEqualTo("go: slots held already on [192.0.2.53/32]");
  }

  @Test
  void aForgottenSiteIsNoSiteOfThePrefix() {
    SiteBook book = new SiteBook(Map.of());
    book.report("a/dns", Set.of(DNS), ANNOUNCING);
    book.report("b/dns", Set.of(DNS), WITHDRAWN);
    book.forget("b/dns");
    assertThat(book.take("a/dns", Work.PLANNED, false).toString())
        .isEqualTo("go: 192.0.2.53/32: a/dns announcing; a/dns withdraws, 0 announce on");
  }

  @Test
  void aGroupWithoutKnownPrefixesIsNeverHeldBack() {
    SiteBook book = new SiteBook(Map.of());
    assertThat(book.take("a/web", Work.PLANNED, false).toString())
        .isEqualTo("go: no known prefix: nothing to hold back");
  }
}
