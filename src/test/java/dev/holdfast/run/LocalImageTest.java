package dev.holdfast.run;

import static dev.holdfast.testing.Containers.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.engine.EngineException;
import dev.holdfast.engine.ImageInfo;
import dev.holdfast.group.Labels;
import dev.holdfast.plan.Plan;
import dev.holdfast.plan.PlanException;
import dev.holdfast.plan.PlanKind;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A member whose image was built or imported on the host (no repo digest for its repository) is
 * never pulled; the rest of the group updates as usual.
 */
class LocalImageTest {

  private static final String BIRD_REF = "example/bird:1";
  private static final ImageInfo LOCAL_BIRD =
      new ImageInfo("sha256:" + "7".repeat(64), List.of(), false);
  private static final ImageInfo LOCAL_BIRD_2 =
      new ImageInfo("sha256:" + "8".repeat(64), List.of(), false);

  private final RunnerFixture f = new RunnerFixture();
  private int setUp;

  LocalImageTest() {
    f.fake.image(BIRD_REF, LOCAL_BIRD, null);
    router("auto");
  }

  /** The seed's router, recreated from an image built on the host, as users run BIRD. */
  private void router(String pull) {
    f.fake.remove("seed-router");
    f.fake.run(
        container("seed-router")
            .in(f.holder.id())
            .label(Labels.ROLE, "router")
            .label(Labels.PULL, pull)
            .image(BIRD_REF, LOCAL_BIRD.id())
            .build());
    setUp = f.fake.calls().size();
  }

  /** The engine calls made since the set-up. */
  private List<String> calls() {
    List<String> all = f.fake.calls();
    return all.subList(setUp, all.size());
  }

  private Plan plan(PlanKind kind) {
    return f.groups.plan(new RunRequest("seed", kind, Set.of(), "test"), "r1", true);
  }

  @Test
  void theAppIsUpdatedAndTheLocalRouterImageIsNotPulled() {
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");

    Plan plan = plan(PlanKind.UPDATE);

    assertThat(calls()).containsExactly("pull reg.test/app:live");
    assertThat(plan.recreated()).containsExactly("seed-app");
    assertThat(plan.notes()).containsExactly("seed-router: local image, not pulled");
    assertThat(plan.render()).doesNotContain("pull      seed-router");
  }

  @Test
  void aLocalTagThatNowNamesAnotherImageIsAnUpdateWithoutAPull() {
    f.fake.image(BIRD_REF, LOCAL_BIRD_2, null); // rebuilt on the host under the same tag

    Plan plan = plan(PlanKind.UPDATE);

    assertThat(calls()).containsExactly("pull reg.test/app:live");
    assertThat(plan.recreated()).containsExactly("seed-router");
    assertThat(plan.render())
        .contains("create    seed-router.holdfast-new-r1 router from example/bird:1")
        .doesNotContain("pull      seed-router");
    assertThat(plan.notes())
        .contains("seed-router: local image, not pulled (its tag names another image now)");
  }

  @Test
  void theUpdateOfALocallyRebuiltRouterRuns() throws InterruptedException {
    f.fake.image(BIRD_REF, LOCAL_BIRD_2, null);
    Coordinator coordinator = f.coordinator(Runnable::run);

    Run run = coordinator.submit(new RunRequest("seed", PlanKind.UPDATE, Set.of(), "test"));

    assertThat(run.state()).as(run.error()).isEqualTo(RunState.SUCCEEDED);
    assertThat(f.fake.container("seed-router").orElseThrow().imageId())
        .isEqualTo(LOCAL_BIRD_2.id());
    assertThat(calls()).noneMatch(c -> c.startsWith("pull example/bird"));
  }

  @Test
  void aRegistryThatCannotBeReachedStillFailsTheRunBeforeAnythingIsStopped() {
    f.fake.failWhen(
        call ->
            call.startsWith("pull reg.test/app")
                ? new EngineException("pull reg.test/app:live: connection refused")
                : null);

    assertThatThrownBy(() -> plan(PlanKind.UPDATE))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("connection refused");
    assertThat(calls()).isEmpty();
  }

  @Test
  void onTheContainerdStoreTheImageIsPulledUnlessTheMemberSaysNever() {
    ImageInfo listed =
        new ImageInfo(LOCAL_BIRD.id(), List.of("example/bird@" + LOCAL_BIRD.id()), false, false);
    f.fake.image(BIRD_REF, listed, null);

    assertThatThrownBy(() -> plan(PlanKind.UPDATE))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("pull example/bird:1");

    router("never");
    assertThat(plan(PlanKind.UPDATE).notes()).contains("seed-router: local image, not pulled");
  }

  @Test
  void aBadPullLabelIsRefusedBeforeAnything() {
    router("sometimes");

    assertThatThrownBy(() -> plan(PlanKind.UPDATE))
        .isInstanceOf(PlanException.class)
        .hasMessage("seed-router: holdfast.pull=sometimes: expected never or auto");
    assertThat(calls()).isEmpty();
  }
}
