package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Naming the holder as the member to update is refused, and the holder is left alone. */
class HolderRefusedIT {

  @RegisterExtension static final SeedGroup env = SeedGroup.of("hold");

  @Test
  void updateOfTheHolderIsRefusedWith409() {
    String id = env.engine.id(env.holder);
    String started = env.engine.startedAt(env.holder);
    Map<String, String> before = Snapshot.of(env);

    for (String query :
        new String[] {"wait=true&member=" + env.holder, "member=" + env.holder, "member=" + id}) {
      HoldfastClient.Response r = env.holdfast.update(env.group, query);

      assertThat(r.status()).as(query + " -> " + r.body()).isEqualTo(409);
      assertThat(r.body().path("status").asInt()).isEqualTo(409);
      assertThat(r.body().path("error").asText()).contains(env.holder, "holder");
    }
    assertThat(env.holdfast.runs(env.group)).as("no run was queued").isEmpty();
    assertThat(env.engine.id(env.holder)).isEqualTo(id);
    assertThat(env.engine.startedAt(env.holder)).isEqualTo(started);
    assertThat(Snapshot.of(env)).isEqualTo(before);
  }
}
