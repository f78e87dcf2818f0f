package dev.holdfast.it;

import dev.holdfast.testing.Docker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A test class of the seed group's scenarios on one engine: {@link #engine()} is {@link
 * Docker#local()} (bookworm's Docker 20.10 on a machine setup-env.sh prepared) and a subclass that
 * overrides it runs every test of the class again on that engine, e.g. {@code SeedUpdateSidIT} on
 * sid's Docker 28 with the containerd image store, in the same {@code mvn verify}.
 *
 * <p>The group is built before the class's tests and removed after them, as {@link SeedGroup}'s
 * extension does for a static field; here it is an instance field (one instance per class), so that
 * it can depend on the subclass's engine. {@code @BeforeAll} methods of the class run after the
 * group is up, its {@code @AfterAll} methods before it is removed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SeedScenario {

  /** The group, on {@link #engine()}. */
  final SeedGroup env = seed(engine());

  /** The engine the class's group runs on and holdfast manages; a subclass may choose another. */
  Docker engine() {
    return Docker.local();
  }

  /** The class's group on {@code engine}, not started (e.g. {@code SeedGroup.of(tag, engine)}). */
  abstract SeedGroup seed(Docker engine);

  @BeforeAll
  final void startSeedGroup() {
    env.start();
  }

  @AfterAll
  final void removeSeedGroup() {
    env.close();
  }
}
