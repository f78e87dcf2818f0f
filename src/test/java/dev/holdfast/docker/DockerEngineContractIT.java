package dev.holdfast.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.Engine;
import dev.holdfast.engine.ImageInfo;
import dev.holdfast.testing.DockerCli;
import dev.holdfast.testing.EngineContract;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The engine contract against the real Docker engine: bookworm's Docker 20.10 (classic overlay2
 * image store) here, sid's Docker 28 (containerd image store) in {@link SidDockerEngineContractIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerEngineContractIT extends EngineContract {

  static final String BOOKWORM_HOST = "unix:///var/run/docker.sock";

  private final String session = UUID.randomUUID().toString().substring(0, 8);
  private DockerEngine engine;

  /** The engine's Docker host URI. */
  String host() {
    return BOOKWORM_HOST;
  }

  /** Makes sure the engine answers and has the test images. */
  void prepare() {
    DockerCli.requireEngine(host());
    DockerCli.buildTestImages();
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
    engine = new DockerEngine(host());
  }

  @AfterAll
  void cleanUp() throws Exception {
    DockerCli.removeSessionOn(host(), session);
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
    return DockerCli.runOn(
        host(), session, "--name", name, "--network", "none", "holdfast-test/holder:1");
  }

  @Override
  protected String runMember(String name, String holderId) {
    return DockerCli.runOn(
        host(),
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
    DockerCli.exec(
        DockerCli.docker(host(), "create", "--name", container, "holdfast-test/app:v1"), 30);
    try {
      String id =
          DockerCli.exec(DockerCli.docker(host(), "commit", container, tag), 60).output().strip();

      ImageInfo info = engine.image(tag).orElseThrow();

      assertThat(info.id()).isEqualTo(id);
      assertThat(info.hasHealthcheck()).isTrue();
      assertThat(info.repoDigests()).isEqualTo(importedRepoDigests(tag.split(":")[0], id));
      assertThat(info.digestsShowOrigin()).isEqualTo(digestsShowOrigin());
      assertThat(dev.holdfast.trigger.ImageOrigin.fromRegistry(tag, info))
          .as("holdfast would pull " + tag)
          .isEqualTo(!digestsShowOrigin());
    } finally {
      DockerCli.exec(DockerCli.docker(host(), "rm", "-f", container), 30);
      DockerCli.exec(DockerCli.docker(host(), "image", "rm", tag), 30);
    }
  }

  /** Whether repo digests prove an image's origin: Docker's classic store records them on pull. */
  boolean digestsShowOrigin() {
    return true;
  }
}
