package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A store that cannot be opened (a corrupt file): holdfast says so, keeps serving status, and
 * refuses runs, so nothing is changed that it could not finish or roll back after a crash.
 */
class BrokenStoreIT {

  @RegisterExtension
  static final SeedGroup env = SeedGroup.of("store").beforeHoldfast(BrokenStoreIT::corruptTheStore);

  private static void corruptTheStore(SeedGroup e) {
    Path data = e.tmp.resolve("holdfast-data");
    try {
      Files.createDirectories(data);
      Files.write(
          data.resolve("holdfast.db"),
          "this is not a database, it is a shopping list".repeat(200).getBytes());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  @Test
  void statusIsServedRunsAreRefusedAndTheReasonIsClear() {
    String id = env.engine.id(env.app);
    env.registry.publish("holdfast-test/app:v2", "hf/app:live");

    HoldfastClient.Response ready = env.holdfast.get("/readyz");
    HoldfastClient.Response update = env.holdfast.update(env.group, "wait=true");

    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body().path("store").asText())
        .startsWith("refusing runs: cannot open the store")
        .contains("holdfast.db");
    assertThat(env.holdfast.group(env.group).orElseThrow().path("problems").toString())
        .contains("runs are refused");
    assertThat(update.status()).isEqualTo(409);
    assertThat(update.body().path("error").asText()).contains("the store cannot be written");
    assertThat(env.engine.id(env.app)).as("nothing was touched").isEqualTo(id);
    assertThat(env.served()).isEqualTo("v1");
  }
}
