package dev.holdfast.docker;

import dev.holdfast.testing.Docker;
import java.nio.file.Path;
import java.util.List;

/**
 * The engine contract against sid's Docker 28 that .ci/setup-env.sh runs beside bookworm's, with
 * the containerd image store (Docker 29's default for new installs).
 */
class SidDockerEngineContractIT extends DockerEngineContractIT {

  @Override
  Docker docker() {
    return Docker.SID;
  }

  /**
   * Must run sid's 28.x; setup-env.sh loads the test images into this engine, tests cannot build
   * them here.
   */
  @Override
  void prepare() {
    docker().requireVersion();
    for (String image : List.of("holdfast-test/holder:1", image(), "holdfast-test/app:v1")) {
      docker().requireImage(image);
    }
  }

  /**
   * The containerd store records a digest for every tag, even of an image that never saw a
   * registry: {@code <repository>@<image id>}, the image id being the manifest digest it made
   * locally. So a RepoDigest there does not mean the registry serves that digest.
   */
  @Override
  List<String> importedRepoDigests(String repository, String id) {
    return List.of(repository + "@" + id);
  }

  /** containerd's store lists one for every name: holdfast cannot tell, so it pulls. */
  @Override
  boolean digestsShowOrigin() {
    return false;
  }

  /** A recursively read-only bind: sid's CLI sends BindOptions.ReadOnlyForceRecursive (1.44). */
  @Override
  List<String> extraMounts(Path dir) {
    return List.of(
        "type=bind,src="
            + dir
            + ",dst=/sealed,readonly,bind-recursive=readonly,bind-propagation=rprivate");
  }
}
