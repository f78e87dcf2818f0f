package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Naming the holder as the member to update is refused, and the holder is left alone. */
class HolderRefusedIT {

  private static TestEnv env;
  private static Holdfast holdfast;

  @BeforeAll
  static void up() {
    env = TestEnv.start("hold");
    holdfast = env.holdfast();
  }

  @AfterAll
  static void down() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void updateOfTheHolderIsRefusedWith409() {
    String id = Docker.id(env.holder);
    String started = Docker.startedAt(env.holder);
    Map<String, String> before = Snapshot.of(env);

    for (String query :
        new String[] {"wait=true&member=" + env.holder, "member=" + env.holder, "member=" + id}) {
      Holdfast.Response r = holdfast.update(env.group, query);

      assertThat(r.status()).as(query + " -> " + r.body()).isEqualTo(409);
      assertThat(r.body().path("status").asInt()).isEqualTo(409);
      assertThat(r.body().path("error").asText()).contains(env.holder, "holder");
    }
    assertThat(holdfast.runs(env.group)).as("no run was queued").isEmpty();
    assertThat(Docker.id(env.holder)).isEqualTo(id);
    assertThat(Docker.startedAt(env.holder)).isEqualTo(started);
    assertThat(Snapshot.of(env)).isEqualTo(before);
  }
}
