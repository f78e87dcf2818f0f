package dev.holdfast.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.hook.HookFuzzTestAccess;
import dev.holdfast.run.ApiFixture;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated deliveries over HTTP, with valid credentials: never a 5xx, never a run. The
 * fixtures name repositories no container of the fixture group runs, so any run would be a bug.
 * Bounded by a count, not a clock: every run of the test sends the same deliveries.
 */
class HookApiFuzzTest {

  private static final int DELIVERIES = 600;

  private final ApiFixture f = new ApiFixture();
  private final HttpFixture api =
      HttpFixture.start(f, HttpFixture.Options.defaults().rate(1_000_000));

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void mutatedAndRandomDeliveriesNeverAnswer5xxNorStartARun() throws Exception {
    Random r = new Random(20261128L); // fixed: a failure replays
    List<String> registry = HookFuzzTestAccess.registryFixtures();
    List<String> watchtower = HookFuzzTestAccess.watchtowerFixtures();
    String[] paths = {
      "/hooks/registry", "/hooks/registry/distribution", "/hooks/registry/dockerhub",
      "/hooks/registry/harbor", "/hooks/registry/quay", "/hooks/registry/acr",
      "/hooks/registry/gar", "/hooks/registry/jfrog", "/hooks/watchtower"
    };
    String[] types = {
      "application/json",
      "text/plain",
      "application/vnd.docker.distribution.events.v1+json",
      "application/cloudevents+json",
      "application/octet-stream"
    };
    int answered = 0;
    for (int i = 0; i < DELIVERIES; i++) {
      String path = paths[r.nextInt(paths.length)];
      byte[] body;
      switch (r.nextInt(3)) {
        case 0 -> {
          body = new byte[r.nextInt(2048)];
          r.nextBytes(body);
        }
        case 1 ->
            body =
                HookFuzzTestAccess.mutate(
                    HookFuzzTestAccess.resource(
                        "/fixtures/watchtower/" + watchtower.get(r.nextInt(watchtower.size()))),
                    r.nextLong());
        default ->
            body =
                HookFuzzTestAccess.mutate(
                    HookFuzzTestAccess.resource(
                        "/fixtures/registry/" + registry.get(r.nextInt(registry.size()))),
                    r.nextLong());
      }
      HttpFixture.Answer answer =
          api.post(
              path + (r.nextBoolean() ? "" : "?dryRun=" + r.nextBoolean()),
              body,
              "Content-Type",
              types[r.nextInt(types.length)],
              "Authorization",
              "Bearer " + HttpFixture.SECRET,
              "X-JFrog-Event-Auth",
              HttpFixture.SECRET);
      assertThat(answer.status())
          .as("%s %d bytes: %s", path, body.length, answer.text())
          .isIn(200, 400, 401, 404);
      answered++;
    }

    assertThat(answered).isEqualTo(DELIVERIES);
    assertThat(f.journal().list((String) null)).isEmpty();
  }
}
