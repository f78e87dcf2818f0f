package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A store that cannot be opened (a corrupt file): holdfast says so, keeps serving status, and
 * refuses runs, so nothing is changed that it could not finish or roll back after a crash.
 */
class BrokenStoreIT {

  private static TestEnv env;
  private static Holdfast holdfast;

  @BeforeAll
  static void up() {
    env = TestEnv.start("store");
    Path data = env.tmp.resolve("holdfast-data");
    try {
      Files.createDirectories(data);
      Files.write(
          data.resolve("holdfast.db"),
          "this is not a database, it is a shopping list".repeat(200).getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    holdfast = env.holdfast();
  }

  @AfterAll
  static void down() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void statusIsServedRunsAreRefusedAndTheReasonIsClear() {
    String id = Docker.id(env.app);
    env.registry.publish("holdfast-test/app:v2", "hf/app:live");

    Holdfast.Response ready = holdfast.get("/readyz");
    Holdfast.Response update = holdfast.update(env.group, "wait=true");

    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body().path("store").asText())
        .startsWith("refusing runs: cannot open the store")
        .contains("holdfast.db");
    assertThat(holdfast.group(env.group).orElseThrow().path("problems").toString())
        .contains("runs are refused");
    assertThat(update.status()).isEqualTo(409);
    assertThat(update.body().path("error").asText()).contains("the store cannot be written");
    assertThat(Docker.id(env.app)).as("nothing was touched").isEqualTo(id);
    assertThat(Docker.version(env.holder)).isEqualTo("v1");
  }
}
