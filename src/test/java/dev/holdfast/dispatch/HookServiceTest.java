package dev.holdfast.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.plan.Plan;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.run.Coordinator;
import dev.holdfast.run.RunRequest;
import dev.holdfast.run.RunView;
import dev.holdfast.run.RunnerFixture;
import dev.holdfast.trigger.Dedupe;
import dev.holdfast.trigger.DedupeLog;
import dev.holdfast.trigger.HookReading;
import dev.holdfast.trigger.ImageName;
import dev.holdfast.trigger.ImagePush;
import dev.holdfast.trigger.WatchtowerNotice;
import dev.holdfast.trigger.WatchtowerNotice.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class HookServiceTest {

  private static final String DIGEST = "sha256:" + "2".repeat(64);

  private final RunnerFixture f = new RunnerFixture();
  private final List<Runnable> queued = new ArrayList<>();
  private final Coordinator coordinator = f.coordinator(queued::add); // runs are queued, not run
  private final AtomicInteger reconciles = new AtomicInteger();
  private final Dedupe withDigest = new Dedupe(f.clock, Duration.ofMinutes(10), 1000);
  private final Dedupe withoutDigest = new Dedupe(f.clock, Duration.ofSeconds(30), 1000);
  private final HookService hooks =
      new HookService(f.groups, coordinator, withDigest, withoutDigest);
  private final WatchtowerService watchtower =
      new WatchtowerService(f.groups, coordinator, reconciles::incrementAndGet);

  private static HookReading push(String ref, String digest, String delivery) {
    return new HookReading(
        "distribution",
        List.of(new ImagePush("distribution", ImageName.parse(ref), digest, delivery)),
        List.of());
  }

  /** The outcome of a registry push (not a dry run), as the given process answers it. */
  private static String outcome(HookService service, String ref, String digest, String delivery) {
    return service.onRegistry(push(ref, digest, delivery), false).pushes().get(0).outcome();
  }

  private String outcome(String ref, String digest, String delivery) {
    return outcome(hooks, ref, digest, delivery);
  }

  /** The plan (pulling) of a hook's update of seed-app whose registry reported this digest. */
  private Plan planOfAHookReporting(String digest) {
    return f.groups.plan(
        new RunRequest(
            "seed", PlanKind.UPDATE, Set.of("seed-app"), "hook", Map.of("seed-app", digest)),
        "r1",
        true);
  }

  private List<RunView> runs() {
    return f.journal.list("seed");
  }

  @Test
  void aPushOfTheAppsReferenceQueuesOneUpdateOfThatMember() {
    HookService.RegistryAnswer a = hooks.onRegistry(push("reg.test/app:live", DIGEST, "e1"), false);

    HookService.PushAnswer p = a.pushes().get(0);
    assertThat(p.outcome()).isEqualTo("updating");
    assertThat(p.image()).isEqualTo("reg.test/app:live");
    assertThat(p.groups()).hasSize(1);
    assertThat(p.groups().get(0).members()).containsExactly("seed-app");
    assertThat(runs()).hasSize(1);
    RunView run = runs().get(0);
    assertThat(run.id()).isEqualTo(p.groups().get(0).run());
    assertThat(run.trigger()).isEqualTo("hook distribution push reg.test/app:live");
  }

  @Test
  void aBurstOfAThousandIdenticalPushesStartsExactlyOneRun() {
    int duplicates = 0;
    for (int i = 0; i < 1000; i++) {
      duplicates += outcome("reg.test/app:live", DIGEST, "event-" + i).equals("duplicate") ? 1 : 0;
    }

    assertThat(duplicates).isEqualTo(999);
    assertThat(runs()).hasSize(1);
  }

  @Test
  void aRetriedDeliveryIsADuplicateButANewDigestActsAgainAfterTheRun() {
    hooks.onRegistry(push("reg.test/app:live", DIGEST, "e1"), false);
    queued.remove(0).run(); // the first run ends

    assertThat(outcome("reg.test/app:live", DIGEST, "e1")).isEqualTo("duplicate");
    assertThat(outcome("reg.test/app:live", "sha256:" + "3".repeat(64), "e2"))
        .isEqualTo("updating");
    assertThat(runs()).hasSize(2);
  }

  @Test
  void pushesWithoutADigestAreDedupedForAShortWindowOnly() {
    hooks.onRegistry(push("reg.test/app:live", "", ""), false);
    queued.remove(0).run();
    assertThat(outcome("reg.test/app:live", "", "")).isEqualTo("duplicate");

    f.clock.advance(Duration.ofSeconds(31));

    assertThat(outcome("reg.test/app:live", "", "")).isEqualTo("updating");
  }

  @Test
  void aDryRunActsOnNothingAndRemembersNothing() {
    HookService.RegistryAnswer dry =
        hooks.onRegistry(push("reg.test/app:live", DIGEST, "e1"), true);

    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.pushes().get(0).outcome()).isEqualTo("would update");
    assertThat(dry.pushes().get(0).groups().get(0).run()).isNull();
    assertThat(runs()).isEmpty();
    assertThat(outcome("reg.test/app:live", DIGEST, "e1")).isEqualTo("updating");
  }

  @Test
  void pushesThatMatchNothingAreNotRememberedSoTheyCannotCrowdOutOnesThatActed() {
    assertThat(outcome("reg.test/app:live", DIGEST, "e0")).isEqualTo("updating");
    int before = withDigest.size();

    for (int i = 0; i < 5000; i++) { // five times the tables' capacity
      String digest = String.format("sha256:%064d", i);
      assertThat(outcome("reg.test/other:live", digest, "n" + i)).isEqualTo("no match");
      assertThat(outcome("reg.test/other:live", "", "")).isEqualTo("no match");
    }

    assertThat(withDigest.size()).isEqualTo(before);
    assertThat(withoutDigest.size()).isZero();
    assertThat(outcome("reg.test/app:live", DIGEST, "e0-retry")).isEqualTo("duplicate");
    assertThat(runs()).hasSize(1);
  }

  @Test
  void aPushOfAnotherTagOrRepositoryMatchesNothing() {
    assertThat(outcome("reg.test/app:v9", DIGEST, "e1")).isEqualTo("no match");
    assertThat(outcome("reg.test/other:live", DIGEST, "e2")).isEqualTo("no match");
    assertThat(runs()).isEmpty();
  }

  private WatchtowerService.NoticeAnswer notice(Kind kind, String container, String image) {
    return watchtower
        .onWatchtower(List.of(new WatchtowerNotice(kind, container, image, "line")), false)
        .notices()
        .get(0);
  }

  @Test
  void watchtowerStaleMembersAreUpdatedAndHoldersNever() {
    WatchtowerService.NoticeAnswer member = notice(Kind.NEW_IMAGE, "seed-app", "reg.test/app:live");
    WatchtowerService.NoticeAnswer holder = notice(Kind.NEW_IMAGE, "seed-holder", "busybox");

    assertThat(member.outcome()).isEqualTo("updating");
    assertThat(member.group().members()).containsExactly("seed-app");
    assertThat(holder.outcome()).isEqualTo("ignored");
    assertThat(holder.why()).isEqualTo("holder of group seed; holders are never updated");
    assertThat(runs()).extracting(RunView::kind).containsExactly("update");
  }

  @Test
  void watchtowerFoundNewImageUpdatesTheMembersThatRunIt() {
    WatchtowerService.NoticeAnswer a = notice(Kind.NEW_IMAGE, "", "reg.test/app:live");

    assertThat(a.outcome()).isEqualTo("updating");
    assertThat(a.group().group()).isEqualTo("seed");
  }

  @Test
  void aHolderRecreatedByWatchtowerHealsItsGroup() {
    WatchtowerService.NoticeAnswer a = notice(Kind.RECREATED, "seed-holder", "");

    assertThat(a.outcome()).isEqualTo("healing");
    assertThat(runs()).extracting(RunView::kind).containsExactly("heal");
    assertThat(reconciles).hasValue(1);
  }

  @Test
  void aMemberRecreatedByWatchtowerIsVerifiedWithAWarning() {
    WatchtowerService.NoticeAnswer a = notice(Kind.RECREATED, "seed-app", "");

    assertThat(a.outcome()).isEqualTo("healing");
    assertThat(a.why()).contains("monitor-only=true");
    assertThat(reconciles).hasValue(1);
  }

  @Test
  void aLostNamespaceHealsAndEverythingElseIsIgnored() {
    assertThat(notice(Kind.NAMESPACE_LOST, "seed-app", "").outcome()).isEqualTo("healing");
    assertThat(notice(Kind.OTHER, "seed-app", "").outcome()).isEqualTo("ignored");
    assertThat(notice(Kind.NEW_IMAGE, "stranger", "x").why())
        .isEqualTo("not in a group holdfast manages");
  }

  @Test
  void oneNotificationNamingAGroupTwiceActsOnce() {
    watchtower.onWatchtower(
        List.of(
            new WatchtowerNotice(Kind.RECREATED, "seed-holder", "", "Stopping /seed-holder"),
            new WatchtowerNotice(Kind.RECREATED, "seed-holder", "", "Creating /seed-holder")),
        false);

    assertThat(runs()).hasSize(1);
  }

  @Test
  void whenThePullGetsAnotherDigestThanThePushedOneThePlanSaysSo() {
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");
    String reported = "sha256:" + "7".repeat(64);

    Plan plan = planOfAHookReporting(reported);

    assertThat(plan.notes())
        .anySatisfy(
            n ->
                assertThat(n)
                    .startsWith(
                        "seed-app: the registry reported " + reported + " but the pull got sha256:")
                    .endsWith("(pushed again since, or a stale or forged hook)"));
  }

  @Test
  void whenThePulledDigestIsThePushedOneThereIsNoNote() {
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");
    String digest = RunnerFixture.V2.digest().orElseThrow();

    Plan plan = planOfAHookReporting(digest);

    assertThat(plan.isEmpty()).isFalse();
    assertThat(plan.notes()).noneMatch(n -> n.contains("the registry reported"));
  }

  @Test
  void aPushThatStartedARunIsStillADuplicateAfterARestartAndOneThatDidNotIsNot() {
    Map<String, Instant> kept = new ConcurrentHashMap<>();
    DedupeLog log =
        new DedupeLog() {
          @Override
          public void record(String key, Instant at) {
            kept.put(key, at);
          }

          @Override
          public Map<String, Instant> since(Instant from) {
            return Map.copyOf(kept);
          }
        };
    Supplier<HookService> process =
        () ->
            new HookService(
                f.groups,
                coordinator,
                new Dedupe(f.clock, Duration.ofMinutes(10), 1000, log),
                new Dedupe(f.clock, Duration.ofSeconds(30), 1000, log));
    HookService first = process.get();
    first.onRegistry(push("reg.test/app:live", DIGEST, "e1"), false);
    first.onRegistry(push("reg.test/other:live", DIGEST, "e2"), false);

    HookService restarted = process.get();

    assertThat(outcome(restarted, "reg.test/app:live", DIGEST, "e1")).isEqualTo("duplicate");
    assertThat(outcome(restarted, "reg.test/other:live", DIGEST, "e2")).isEqualTo("no match");
    assertThat(runs()).hasSize(1);
  }
}
