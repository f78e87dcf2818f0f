package dev.holdfast.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.Engine;
import dev.holdfast.engine.ImageInfo;
import dev.holdfast.testing.Docker;
import dev.holdfast.testing.EngineContract;
import dev.holdfast.testing.RealEngine;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The engine contract against the real Docker engine: bookworm's Docker 20.10 (classic overlay2
 * image store) here, sid's Docker 28 (containerd image store) in {@link SidDockerEngineContractIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(RealEngine.class)
class DockerEngineContractIT extends EngineContract {

  private final String session = UUID.randomUUID().toString().substring(0, 8);
  private DockerEngine engine;

  /** The engine under test, through the docker CLI. */
  Docker docker() {
    return Docker.BOOKWORM;
  }

  /** Makes sure the engine answers (RealEngine built the test images on it). */
  void prepare() {
    docker().requireVersion();
  }

  /**
   * What {@code RepoDigests} an image made on this host (never pushed or pulled) shows: none in the
   * classic store.
   */
  List<String> importedRepoDigests(String repository, String id) {
    return List.of();
  }

  @BeforeAll
  void connect() {
    prepare();
    engine = new DockerEngine(docker().host());
  }

  @AfterAll
  void cleanUp() throws Exception {
    docker().removeSession(session);
    if (engine != null) {
      engine.close();
    }
  }

  @Override
  protected Engine engine() {
    return engine;
  }

  @Override
  protected String runHolder(String name) {
    return docker()
        .runLabelled(session, "--name", name, "--network", "none", "holdfast-test/holder:1");
  }

  @Override
  protected String runMember(String name, String holderId) {
    return docker()
        .runLabelled(
            session,
            "--name",
            name,
            "--label",
            "contract=yes",
            "--network",
            "container:" + holderId,
            image());
  }

  @Override
  protected String image() {
    return "holdfast-test/app:noprobe";
  }

  @Override
  protected String name(String base) {
    return "hf-contract-" + session + "-" + base;
  }

  @Test
  void negotiatesAnApiVersionTheEngineAccepts() {
    assertThat(engine.apiVersion()).matches("1\\.\\d+");
    engine.ping();
  }

  /**
   * An image made on this host (a commit of a container: a new image id, never pushed or pulled,
   * tagged under a name no other test uses): its id, its repo digests as this engine's store lists
   * them, and whether those digests show where an image came from, which decides whether holdfast
   * may pull it (see ImageOrigin).
   */
  @Test
  void anImageMadeHereShowsItsIdAndTheStoresRepoDigests() {
    String container = name("commit");
    String tag = "hf-contract-" + session + "/local:1";
    docker().ok("create", "--name", container, "holdfast-test/app:v1");
    try {
      String id = docker().ok("commit", container, tag);

      ImageInfo info = engine.image(tag).orElseThrow();

      assertThat(info.id()).isEqualTo(id);
      assertThat(info.hasHealthcheck()).isTrue();
      assertThat(info.repoDigests()).isEqualTo(importedRepoDigests(tag.split(":")[0], id));
      assertThat(info.digestsShowOrigin()).isEqualTo(digestsShowOrigin());
      assertThat(dev.holdfast.trigger.ImageOrigin.fromRegistry(tag, info))
          .as("holdfast would pull " + tag)
          .isEqualTo(!digestsShowOrigin());
    } finally {
      docker().run("rm", "-f", container);
      docker().run("image", "rm", tag);
    }
  }

  /** Whether repo digests prove an image's origin: Docker's classic store records them on pull. */
  boolean digestsShowOrigin() {
    return true;
  }
}
