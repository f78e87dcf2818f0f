package dev.holdfast.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated deliveries over HTTP, with valid credentials: never a 5xx, never a run. The
 * fixtures name repositories no container of the fixture group runs, so any run would be a bug.
 */
class HookApiFuzzTest {

  private final HookApiTest api = new HookApiTest();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    api.stop();
  }

  @Test
  void mutatedAndRandomDeliveriesNeverAnswer5xxNorStartARun() throws Exception {
    var app = api.start(1_000_000);
    Random r = new Random(20261128L); // fixed: a failure replays
    List<String> registry = dev.holdfast.hook.HookFuzzTestAccess.registryFixtures();
    List<String> watchtower = dev.holdfast.hook.HookFuzzTestAccess.watchtowerFixtures();
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
    int requests = 0;
    long deadline = System.nanoTime() + 60_000_000_000L;
    for (int i = 0; i < 600 && System.nanoTime() < deadline; i++) {
      String path = paths[r.nextInt(paths.length)];
      byte[] body;
      switch (r.nextInt(3)) {
        case 0 -> {
          body = new byte[r.nextInt(2048)];
          r.nextBytes(body);
        }
        case 1 ->
            body =
                dev.holdfast.hook.HookFuzzTestAccess.mutate(
                    dev.holdfast.hook.HookFuzzTestAccess.resource(
                        "/fixtures/watchtower/" + watchtower.get(r.nextInt(watchtower.size()))),
                    r.nextLong());
        default ->
            body =
                dev.holdfast.hook.HookFuzzTestAccess.mutate(
                    dev.holdfast.hook.HookFuzzTestAccess.resource(
                        "/fixtures/registry/" + registry.get(r.nextInt(registry.size()))),
                    r.nextLong());
      }
      HttpRequest req =
          HttpRequest.newBuilder(
                  URI.create(
                      "http://127.0.0.1:"
                          + app.port()
                          + path
                          + (r.nextBoolean() ? "" : "?dryRun=" + r.nextBoolean())))
              .header("Content-Type", types[r.nextInt(types.length)])
              .header("Authorization", "Bearer " + HookApiTest.SECRET)
              .header("X-JFrog-Event-Auth", HookApiTest.SECRET)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      HttpResponse<String> answer = http.send(req, HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode())
          .as("%s %d bytes: %s", path, body.length, answer.body())
          .isIn(200, 400, 401, 404);
      requests++;
    }

    assertThat(requests).isGreaterThan(100);
    assertThat(api.journal()).isEmpty();
  }
}
