package dev.holdfast.run;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.holdfast.dispatch.WatchtowerService;
import dev.holdfast.trigger.WatchtowerNotice;
import dev.holdfast.trigger.WatchtowerNotice.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What holdfast does about containers Watchtower lists as failed: a vetoed stale member gets the
 * safe update of its group, a failed recreate heals the group, a holder is never updated.
 */
class WatchtowerFailedServiceTest {

  private static final String VETO =
      "skipping container as the pre-update command returned exit code 75 (EX_TEMPFAIL)";
  private static final String PORT =
      "Error response from daemon: driver failed programming external connectivity on endpoint"
          + " seed-holder: Bind for 0.0.0.0:53 failed: port is already allocated";

  private final RunnerFixture f = new RunnerFixture();
  private final List<Runnable> queued = new ArrayList<>();
  private final AtomicInteger reconciles = new AtomicInteger();
  private final WatchtowerService watchtower =
      new WatchtowerService(f.groups, f.coordinator(queued::add), reconciles::incrementAndGet);

  private static WatchtowerNotice failed(
      Kind kind, String container, String current, String error) {
    return new WatchtowerNotice(
        kind, container, "reg.test/app:live", current, "350f67c939c6", error, "item");
  }

  private WatchtowerService.NoticeAnswer answer(WatchtowerNotice n, boolean dryRun) {
    return watchtower.onWatchtower(List.of(n), dryRun).notices().get(0);
  }

  private List<RunView> runs() {
    return f.journal.list("seed");
  }

  @Test
  void aVetoedStaleMemberGetsTheSafeUpdateOfItsGroup() {
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");
    String holderId = f.holder.id();

    WatchtowerService.NoticeAnswer a =
        answer(failed(Kind.VETOED, "seed-app", "e1477cf97a5f", VETO), false);
    queued.remove(0).run();

    assertThat(a.kind()).isEqualTo("vetoed");
    assertThat(a.outcome()).isEqualTo("updating");
    assertThat(a.currentImageId()).isEqualTo("e1477cf97a5f");
    assertThat(a.latestImageId()).isEqualTo("350f67c939c6");
    assertThat(a.error()).isEqualTo(VETO);
    assertThat(a.why()).contains("veto", "seed-app", "e1477cf97a5f -> 350f67c939c6");
    assertThat(a.group().members()).containsExactly("seed-app");
    assertThat(runs())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.id()).isEqualTo(a.group().run());
              assertThat(r.kind()).isEqualTo("update");
              assertThat(r.state()).isEqualTo("succeeded");
              assertThat(r.trigger()).isEqualTo("watchtower vetoed update of seed-app");
            });
    // the member's own reference was pulled and it runs the new image, in the same holder
    assertThat(f.fake.container("seed-app").orElseThrow().imageId())
        .isEqualTo(RunnerFixture.V2.id());
    assertThat(f.fake.container("seed-holder").orElseThrow().id()).isEqualTo(holderId);
    assertThat(reconciles).hasValue(0);
  }

  @Test
  void aVetoWithoutIdsIsStaleAndOneWithEqualIdsIsNot() {
    WatchtowerNotice fromText =
        new WatchtowerNotice(Kind.VETOED, "seed-app", "reg.test/app:live", "", "", VETO, "line");

    WatchtowerService.NoticeAnswer equal =
        answer(failed(Kind.VETOED, "seed-app", "350f67c939c6", VETO), false);
    WatchtowerService.NoticeAnswer text = answer(fromText, false);

    assertThat(equal.outcome()).isEqualTo("ignored");
    assertThat(equal.why()).contains("no newer image", "350f67c939c6 = 350f67c939c6");
    assertThat(text.outcome()).isEqualTo("updating");
    assertThat(text.currentImageId()).isNull();
    assertThat(runs()).extracting(RunView::kind).containsExactly("update");
  }

  @Test
  void aVetoedHolderIsNeverUpdated() {
    WatchtowerService.NoticeAnswer a =
        answer(failed(Kind.VETOED, "seed-holder", "e1477cf97a5f", VETO), false);

    assertThat(a.outcome()).isEqualTo("ignored");
    assertThat(a.group()).isNull();
    assertThat(a.why()).startsWith("holder of group seed; holders are never updated");
    assertThat(runs()).isEmpty();
    assertThat(reconciles).hasValue(0);
  }

  @Test
  void aHolderWhoseRecreateFailedHealsItsGroupAndIsNeverUpdated() {
    WatchtowerService.NoticeAnswer a =
        answer(failed(Kind.RECREATE_FAILED, "seed-holder", "2cf45b274f2f", PORT), false);

    assertThat(a.kind()).isEqualTo("recreate-failed");
    assertThat(a.outcome()).isEqualTo("healing");
    assertThat(a.error()).isEqualTo(PORT);
    assertThat(a.why())
        .startsWith("holder of group seed; holders are never updated")
        .contains("healed");
    assertThat(runs()).extracting(RunView::kind).containsExactly("heal");
    assertThat(reconciles).hasValue(1);
  }

  @Test
  void aHolderThatIsGoneIsStillKnownByTheNameItHad() {
    f.groups.groups(); // holdfast has seen the group
    f.fake.remove(f.holder.id()); // Watchtower removed the holder and failed to create it again
    f.groups.groups();

    WatchtowerService.NoticeAnswer a =
        answer(failed(Kind.RECREATE_FAILED, "seed-holder", "2cf45b274f2f", PORT), false);

    assertThat(a.outcome()).isEqualTo("healing");
    assertThat(a.group().group()).isEqualTo("seed");
    assertThat(a.why()).startsWith("holder of group seed; holders are never updated");
  }

  @Test
  void aMemberWhoseRecreateFailedIsHealedWithAWarningThatKeepsSecretsOut() {
    Logger logger = (Logger) LoggerFactory.getLogger(WatchtowerService.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    String error = "Error response from daemon: Head https://bob:hunter2@reg.test/v2/?token=s3cr3t";
    WatchtowerService.NoticeAnswer a;
    try {
      a = answer(failed(Kind.RECREATE_FAILED, "seed-app", "e1477cf97a5f", error + "\nX"), false);
    } finally {
      logger.detachAppender(logs);
    }

    assertThat(a.outcome()).isEqualTo("healing");
    assertThat(a.why()).contains("seed-app", "monitor-only=true");
    assertThat(runs()).extracting(RunView::kind).containsExactly("heal");
    assertThat(logs.list)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getLevel().toString()).isEqualTo("WARN");
              assertThat(e.getFormattedMessage())
                  .contains("failed to recreate seed-app of group seed")
                  .contains("reg.test")
                  .doesNotContain("hunter2")
                  .doesNotContain("s3cr3t")
                  .doesNotContain("\n");
            });
  }

  @Test
  void aDryRunSaysWhatItWouldDoAndStartsNothing() {
    WatchtowerService.WatchtowerAnswer a =
        watchtower.onWatchtower(
            List.of(
                failed(Kind.VETOED, "seed-app", "e1477cf97a5f", VETO),
                failed(Kind.RECREATE_FAILED, "seed-holder", "2cf45b274f2f", PORT)),
            true);

    assertThat(a.dryRun()).isTrue();
    assertThat(a.notices())
        .extracting(WatchtowerService.NoticeAnswer::outcome)
        .containsExactly("would update", "would heal");
    assertThat(queued).isEmpty();
    assertThat(reconciles).hasValue(0);
  }

  @Test
  void failuresOfUnmanagedOrUnnamedContainersAreIgnoredWithTheReason() {
    assertThat(answer(failed(Kind.VETOED, "stranger", "e1477cf97a5f", VETO), false).why())
        .isEqualTo("not in a group holdfast manages");
    assertThat(
            answer(
                    new WatchtowerNotice(
                        Kind.VETOED, "", "", "Skipping container as the pre-update command failed"),
                    false)
                .why())
        .contains("does not name", "Found new");
    assertThat(answer(failed(Kind.RECREATE_FAILED, "", "", PORT), false).why())
        .isEqualTo("names no container");
    assertThat(runs()).isEmpty();
  }
}
