package dev.holdfast.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.engine.CreateRequest;
import dev.holdfast.engine.Engine;
import dev.holdfast.engine.ImageInfo;
import dev.holdfast.testing.Docker;
import dev.holdfast.testing.EngineContract;
import dev.holdfast.testing.RealEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    docker().run("volume", "rm", "-f", volume());
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

  /** The named volume the mount test uses, removed after the class. */
  private String volume() {
    return "hf-contract-" + session + "-data";
  }

  /**
   * Mount options in {@code --mount} syntax that this engine's CLI accepts beyond the common ones:
   * sid's Docker 28 CLI adds recursive read-only binds (API 1.44, kernel 5.12+).
   */
  List<String> extraMounts(Path dir) {
    return List.of();
  }

  /**
   * Every way a user mounts something into an app: {@code -v} binds (Binds), {@code --mount} binds
   * with propagation and non-recursive options, a named volume with nocopy and labels, tmpfs by
   * {@code --mount} with size and mode and by {@code --tmpfs}. The engine validates mount options
   * at create (API 1.42+: options of another mount type are refused) and again at start, so the
   * copy holdfast creates must carry each mount with exactly its own options, and start.
   */
  @Test
  void aCopyKeepsEveryMountWithItsOptionsAndStarts() throws Exception {
    Path dir = Files.createTempDirectory("hf-contract-mounts");
    Files.writeString(dir.resolve("seen"), "from the host\n");
    String holder = runHolder(name("mh"));
    List<String> args = new ArrayList<>();
    args.addAll(List.of("--name", name("ma"), "--network", "container:" + holder));
    args.addAll(List.of("-v", dir + ":/binds:ro"));
    args.addAll(List.of("--mount", "type=bind,src=" + dir + ",dst=/plain,bind-nonrecursive=true"));
    args.addAll(
        List.of(
            "--mount",
            "type=volume,src="
                + volume()
                + ",dst=/data,volume-nocopy,volume-label=owner=contract"));
    args.addAll(List.of("--mount", "type=tmpfs,dst=/scratch,tmpfs-size=1048576,tmpfs-mode=1770"));
    args.addAll(List.of("--tmpfs", "/run/app:size=65536"));
    for (String extra : extraMounts(dir)) {
      args.addAll(List.of("--mount", extra));
    }
    args.add(image());
    String app = docker().runLabelled(session, args);
    JsonNode before = docker().mustInspect(app);

    String id =
        engine.create(
            new CreateRequest(app, name("ma-new"), image(), "container:" + holder, Map.of()));
    JsonNode after = docker().mustInspect(id);

    for (String field : List.of("Binds", "Mounts", "Tmpfs")) {
      assertThat(after.path("HostConfig").path(field))
          .as("HostConfig." + field)
          .isEqualTo(before.path("HostConfig").path(field));
    }
    assertThat(after.path("Mounts").size()).isEqualTo(before.path("Mounts").size());
    docker().ok("rm", "-f", app);
    engine.start(id);
    assertThat(docker().exec(id, "cat", "/binds/seen").out()).contains("from the host");
    assertThat(docker().exec(id, "sh", "-c", "echo x > /scratch/y && cat /scratch/y").out())
        .contains("x");
    assertThat(docker().exec(id, "sh", "-c", "echo z > /binds/z").exit())
        .as("the :ro bind stays read-only")
        .isNotZero();
  }

  /** Whether repo digests prove an image's origin: Docker's classic store records them on pull. */
  boolean digestsShowOrigin() {
    return true;
  }
}
