package dev.holdfast.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** holdfast finds its own container id in its mountinfo (recorded from Docker 20.10). */
class SelfContainerTest {

  @Test
  void theIdComesFromTheHostnameBindMount() throws IOException {
    List<String> lines =
        Files.readAllLines(
            Path.of("src/test/resources/fixtures/engine/mountinfo-docker-20.10.txt"));
    assertThat(SelfContainer.fromMountinfo(lines))
        .hasValue("e6ff6b05dfeb71028451538d517707bf7fd16055b7826e27e359c2c2f20c68fa");
  }

  @Test
  void outsideAContainerThereIsNone() {
    assertThat(
            SelfContainer.fromMountinfo(
                List.of(
                    "22 27 0:21 / /proc rw,relatime - proc proc rw",
                    "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
                    // a volume that happens to sit under a containers directory is no bind mount
                    // of the container's own files
                    "40 27 254:0 /srv/containers/abc /data rw - ext4 /dev/vda rw")))
        .isEmpty();
    assertThat(SelfContainer.detect()).isEmpty(); // the test JVM runs on the host
  }
}
