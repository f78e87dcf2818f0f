package dev.holdfast.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.CreateRequest;
import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineException;
import dev.holdfast.engine.NoSuchContainerException;
import dev.holdfast.engine.TransientEngineException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What holdfast relies on from an engine, run against the real Docker engine ({@code
 * DockerEngineContractIT}) and against {@link FakeEngine} ({@code FakeEngineContractTest}), so the
 * fake used by runner tests cannot drift from Docker.
 */
public abstract class EngineContract {

  /** The engine under test. */
  protected abstract Engine engine();

  /** Runs a holder container (started) and returns its id. */
  protected abstract String runHolder(String name);

  /** Runs a member (started) in the namespace of {@code holderId} and returns its id. */
  protected abstract String runMember(String name, String holderId);

  /** The image reference members are created from. */
  protected abstract String image();

  /** A name unique to this test run. */
  protected abstract String name(String base);

  @Test
  public void stoppingIsIdempotentAndStartingAgainRunsTheContainer() {
    String holder = runHolder(name("h1"));
    String app = runMember(name("a1"), holder);

    engine().stop(app);
    engine().stop(app);

    assertThat(engine().container(app)).hasValueSatisfying(c -> assertThat(c.running()).isFalse());
    engine().start(app);
    assertThat(engine().container(app)).hasValueSatisfying(c -> assertThat(c.running()).isTrue());
  }

  @Test
  public void missingContainersAreEmptyOrNoSuchContainer() {
    assertThat(engine().container(name("nope"))).isEmpty();
    assertThatThrownBy(() -> engine().stop(name("nope")))
        .isInstanceOf(NoSuchContainerException.class);
    engine().remove(name("nope"));
  }

  @Test
  public void createCopiesLabelsAddsRequestedOnesAndLeavesTheContainerCreated() {
    String holder = runHolder(name("h2"));
    String app = runMember(name("a2"), holder);
    Map<String, String> labels = new HashMap<>();
    labels.put("holdfast.run", "c0ffee");

    String id =
        engine()
            .create(new CreateRequest(app, name("a2-new"), image(), "container:" + holder, labels));

    ContainerView created = engine().container(id).orElseThrow();
    assertThat(created.state()).isEqualTo("created");
    assertThat(created.name()).isEqualTo(name("a2-new"));
    assertThat(created.labels())
        .containsEntry("holdfast.run", "c0ffee")
        .containsEntry("contract", "yes");
    assertThat(created.networkMode()).isEqualTo("container:" + holder);
  }

  @Test
  public void aNameInUseIsAPermanentConflict() {
    String holder = runHolder(name("h3"));
    String app = runMember(name("a3"), holder);

    assertThatThrownBy(
            () ->
                engine()
                    .create(
                        new CreateRequest(
                            app, name("a3"), image(), "container:" + holder, Map.of())))
        .isInstanceOf(EngineException.class)
        .isNotInstanceOf(TransientEngineException.class);
    assertThatThrownBy(() -> engine().rename(app, name("h3")))
        .isInstanceOf(EngineException.class)
        .isNotInstanceOf(TransientEngineException.class);
  }

  @Test
  public void renameMovesTheName() {
    String holder = runHolder(name("h4"));
    String app = runMember(name("a4"), holder);

    engine().rename(app, name("a4-aside"));

    assertThat(engine().container(name("a4"))).isEmpty();
    assertThat(engine().container(name("a4-aside")))
        .hasValueSatisfying(c -> assertThat(c.id()).isEqualTo(app));
  }

  @Test
  public void aMemberOfARemovedHolderCannotStart() {
    String holder = runHolder(name("h5"));
    String app = runMember(name("a5"), holder);
    engine().stop(app);

    engine().remove(holder);

    assertThatThrownBy(() -> engine().start(app)).isInstanceOf(EngineException.class);
    assertThat(engine().container(app))
        .hasValueSatisfying(c -> assertThat(c.namespaceRef()).contains(holder));
  }

  @Test
  public void restartPolicyCanBeChangedAndIsShown() {
    String holder = runHolder(name("h8"));
    String app = runMember(name("a8"), holder);

    engine().setRestartPolicy(app, "no");
    assertThat(engine().container(app).orElseThrow().restartPolicy()).isEqualTo("no");
    engine().setRestartPolicy(app, "on-failure:3");
    assertThat(engine().container(app).orElseThrow().restartPolicy()).isEqualTo("on-failure:3");
  }

  @Test
  public void execReturnsTheExitCodeAndOutput() {
    String holder = runHolder(name("h7"));

    assertThat(
            engine()
                .exec(holder, java.util.List.of("echo", "hi"), java.time.Duration.ofSeconds(10)))
        .isEqualTo(new dev.holdfast.engine.ExecResult(0, "hi\n"));
    assertThat(
            engine()
                .exec(holder, java.util.List.of("false"), java.time.Duration.ofSeconds(10))
                .exitCode())
        .isEqualTo(1);
  }

  @Test
  public void removeTakesARunningContainerAway() {
    String holder = runHolder(name("h6"));
    String app = runMember(name("a6"), holder);

    engine().remove(app);

    assertThat(engine().container(app)).isEmpty();
    assertThat(engine().containers())
        .extracting(ContainerView::id)
        .doesNotContain(app)
        .contains(holder);
  }
}
