package dev.holdfast.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The budget's decisions as text: each line is the sites of the prefix as {@code name state}
 * ({@code +} holds a slot, {@code a} announcing, {@code w} withdrawn, {@code ?} unknown), the
 * budget, and the decision for site {@code me}.
 */
class PrefixBudgetTest {

  private static final Prefix P = Prefix.parse("192.0.2.53/32");

  private static List<Site> sites(String spec) {
    List<Site> out = new ArrayList<>();
    for (String s : spec.split(" ")) {
      boolean slot = s.endsWith("+");
      String body = slot ? s.substring(0, s.length() - 1) : s;
      String[] parts = body.split("=");
      SiteState state =
          switch (parts[1]) {
            case "a" -> SiteState.ANNOUNCING;
            case "w" -> SiteState.WITHDRAWN;
            case "?" -> SiteState.UNKNOWN;
            default -> throw new IllegalArgumentException(parts[1]);
          };
      out.add(new Site(parts[0], state, slot));
    }
    return out;
  }

  private static String planned(String spec, int max, int min) {
    return PrefixBudget.admit(P, new Budget(max, min), "me", sites(spec), Work.PLANNED, false)
        .toString();
  }

  @Test
  void oneSiteUpdatesAsItAlwaysDid() {
    assertThat(planned("me=a", 1, 1))
        .isEqualTo("go: 192.0.2.53/32: me announcing; me withdraws, 0 announce on");
  }

  @Test
  void twoSitesTakeTurns() {
    assertThat(planned("me=a b=a", 1, 1))
        .isEqualTo("go: 192.0.2.53/32: me announcing, b announcing; me withdraws, 1 announce on");
    assertThat(planned("me=a b=a+", 1, 1))
        .isEqualTo(
            "wait: 192.0.2.53/32: me announcing, b announcing (slot); 1 of 2 away (b), at most 1"
                + " at once");
    assertThat(planned("me=a b=w", 1, 1))
        .isEqualTo(
            "wait: 192.0.2.53/32: me announcing, b withdrawn; 1 of 2 away (b), at most 1 at once");
  }

  @Test
  void aSiteNoHoldfastReportsCountsAsAway() {
    assertThat(planned("me=a b=?", 1, 1))
        .isEqualTo(
            "wait: 192.0.2.53/32: me announcing, b unknown; 1 of 2 away (b), at most 1 at once");
    assertThat(planned("me=a b=? c=a", 2, 1))
        .isEqualTo(
            "go: 192.0.2.53/32: me announcing, b unknown, c announcing; me withdraws, 1 announce"
                + " on");
  }

  @Test
  void threeSitesWithTwoAwayAtOnceStillKeepOneAnnouncing() {
    assertThat(planned("me=a b=a+ c=a", 2, 1))
        .isEqualTo(
            "go: 192.0.2.53/32: me announcing, b announcing (slot), c announcing; me withdraws, 1"
                + " announce on");
    assertThat(planned("me=a b=a+ c=w", 2, 1))
        .isEqualTo(
            "wait: 192.0.2.53/32: me announcing, b announcing (slot), c withdrawn; 2 of 3 away (b,"
                + " c), at most 2 at once");
    // a budget wider than the prefix still never takes the last announcing site
    assertThat(planned("me=a b=w c=?", 5, 1))
        .isEqualTo(
            "wait: 192.0.2.53/32: me announcing, b withdrawn, c unknown; withdrawing me would"
                + " leave 0 announcing, at least 1 must");
  }

  @Test
  void aMinimumTheOtherSitesCannotMeetSaysWhatToDo() {
    assertThat(planned("me=a b=a", 1, 2))
        .isEqualTo(
            "wait: 192.0.2.53/32: me announcing, b announcing; withdrawing me would leave 1"
                + " announcing, at least 2 must (more than the prefix's other sites: lower"
                + " minAnnounced or override)");
  }

  @Test
  void aSiteThatAnnouncesNothingWithdrawsNothing() {
    assertThat(planned("me=w b=w", 1, 1))
        .isEqualTo(
            "go: 192.0.2.53/32: me withdrawn, b withdrawn; me announces nothing now, so it"
                + " withdraws nothing");
  }

  @Test
  void aRepairNeverWaitsAndAnOverrideSaysSo() {
    assertThat(
            PrefixBudget.admit(P, Budget.DEFAULT, "me", sites("me=a b=w"), Work.REPAIR, false)
                .toString())
        .isEqualTo(
            "go: 192.0.2.53/32: me announcing, b withdrawn; a repair of a broken site never"
                + " waits");
    assertThat(
            PrefixBudget.admit(P, Budget.DEFAULT, "me", sites("me=a b=w"), Work.PLANNED, true)
                .toString())
        .isEqualTo(
            "go: 192.0.2.53/32: me announcing, b withdrawn; the budget (maxWithdrawn=1"
                + " minAnnounced=1) overridden by the operator");
  }

  @Test
  void workOnSeveralPrefixesGoesOnlyWhenEveryOneLetsIt() {
    Prefix q = Prefix.parse("2001:db8::53/128");
    Map<Prefix, List<Site>> both = new LinkedHashMap<>();
    both.put(q, sites("me=a b=a+"));
    both.put(P, sites("me=a b=a"));
    assertThat(PrefixBudget.admitAll(both, Map.of(), "me", Work.PLANNED, false).toString())
        .isEqualTo(
            "wait: 2001:db8::53/128: me announcing, b announcing (slot); 1 of 2 away (b), at most"
                + " 1 at once");
    both.put(q, sites("me=a b=a"));
    assertThat(PrefixBudget.admitAll(both, Map.of(), "me", Work.PLANNED, false).toString())
        .isEqualTo(
            "go: 192.0.2.53/32: me announcing, b announcing; me withdraws, 1 announce on |"
                + " 2001:db8::53/128: me announcing, b announcing; me withdraws, 1 announce on");
    assertThat(PrefixBudget.admitAll(Map.of(), Map.of(), "me", Work.PLANNED, false).toString())
        .isEqualTo("go: no known prefix: nothing to hold back");
  }

  @Test
  void unrelatedPrefixesHaveBudgetsOfTheirOwn() {
    Prefix q = Prefix.parse("198.51.100.0/24");
    Map<Prefix, List<Site>> sites = new LinkedHashMap<>();
    sites.put(P, sites("me=a b=a"));
    sites.put(q, sites("me=a b=a+ c=a"));
    Map<Prefix, Budget> budgets = Map.of(q, new Budget(2, 1));
    assertThat(PrefixBudget.admitAll(sites, budgets, "me", Work.PLANNED, false).granted()).isTrue();
  }

  @Test
  void aSiteMustBeOneOfThePrefixsSites() {
    assertThatThrownBy(
            () -> PrefixBudget.admit(P, Budget.DEFAULT, "me", sites("b=a"), Work.PLANNED, false))
        .hasMessage("me is not a site of 192.0.2.53/32");
  }

  @Test
  void aBudgetIsValidated() {
    assertThatThrownBy(() -> new Budget(0, 1)).hasMessage("maxWithdrawn must be 1 or more, not 0");
    assertThatThrownBy(() -> new Budget(1, -1))
        .hasMessage("minAnnounced must be 0 or more, not -1");
  }
}
