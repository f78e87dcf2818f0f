package dev.holdfast.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.holdfast.run.ApiFixture;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpApiTest {

  private static final String TOKEN = "s3cret-token";
  private final ApiFixture f = new ApiFixture();
  private final ObjectMapper json =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  private final HttpClient http = HttpClient.newHttpClient();
  private Javalin app;

  private Javalin start(String token, boolean insecure) {
    app =
        new HttpApi(
                f.groups(),
                f.coordinator(),
                f.keeper(),
                new dev.holdfast.dispatch.Waits(),
                f.journal(),
                f.engine(),
                token,
                insecure,
                json,
                null)
            .javalin();
    app.start("127.0.0.1", 0);
    return app;
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.stop();
    }
  }

  private record Answer(int status, JsonNode body) {}

  private Answer call(String method, String path, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body().isEmpty() ? null : json.readTree(r.body()));
  }

  @Test
  void healthzNeedsNoTokenButTheApiDoes() throws Exception {
    start(TOKEN, false);

    assertThat(call("GET", "/healthz", null).status()).isEqualTo(200);
    assertThat(call("GET", "/readyz", null).status()).isEqualTo(200);
    Answer missing = call("GET", "/api/v1/groups", null);
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.body().path("error").asText()).isEqualTo("missing bearer token");
    assertThat(call("GET", "/api/v1/groups", "wrong").status()).isEqualTo(401);
    assertThat(call("POST", "/api/v1/groups/seed/update", "wrong").status()).isEqualTo(401);
  }

  @Test
  void groupsShowHolderMembersAndAttachment() throws Exception {
    start(TOKEN, false);

    Answer a = call("GET", "/api/v1/groups/seed", TOKEN);

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body().path("state").asText()).isEqualTo("ok");
    assertThat(a.body().path("holder").path("name").asText()).isEqualTo("seed-holder");
    assertThat(a.body().path("members")).hasSize(2);
    JsonNode app = a.body().path("members").get(0);
    assertThat(app.path("role").asText()).isEqualTo("app");
    assertThat(app.path("attached").asBoolean()).isTrue();
    assertThat(app.path("imageId").asText()).startsWith("sha256:");
  }

  @Test
  void badLabelsShowAsProblemsInTheStatus() throws Exception {
    f.relabelRouter(Map.of("holdfast.route", "bird"));
    start(TOKEN, false);

    Answer a = call("GET", "/api/v1/groups/seed", TOKEN);

    assertThat(a.body().path("problems").get(0).asText())
        .isEqualTo(
            "seed-router: holdfast.route=bird needs holdfast.bird.protocols"
                + " (the protocols that originate the anycast prefixes)");
    assertThat(call("GET", "/api/v1/groups", TOKEN).body().get(0).path("problems")).hasSize(1);
  }

  @Test
  void unknownGroupIs404AndMalformedNamesAre400() throws Exception {
    start(TOKEN, false);

    assertThat(call("GET", "/api/v1/groups/nope", TOKEN).status()).isEqualTo(404);
    assertThat(call("POST", "/api/v1/groups/nope/update", TOKEN).status()).isEqualTo(404);
    assertThat(call("POST", "/api/v1/groups/-bad/update", TOKEN).status()).isEqualTo(400);
    assertThat(call("POST", "/api/v1/groups/seed/update?dryRun=maybe", TOKEN).status())
        .isEqualTo(400);
    assertThat(call("GET", "/api/v1/runs/not-hex", TOKEN).status()).isEqualTo(400);
    assertThat(call("GET", "/api/v1/runs/abcdef", TOKEN).status()).isEqualTo(404);
  }

  @Test
  void anUpdateAimedAtTheHolderIsRefusedAndTouchesNothing() throws Exception {
    start(TOKEN, false);

    Answer a = call("POST", "/api/v1/groups/seed/update?member=seed-holder", TOKEN);

    assertThat(a.status()).isEqualTo(409);
    assertThat(a.body().path("error").asText()).contains("seed-holder is the holder of group seed");
    assertThat(f.fake().calls()).isEmpty();
  }

  @Test
  void dryRunReturnsThePlanAndChangesNothing() throws Exception {
    start(TOKEN, false);
    f.pushV2();

    Answer a = call("POST", "/api/v1/groups/seed/update?dryRun=true", TOKEN);

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body().path("plan").asText())
        .contains("withdraw  seed-router")
        .contains("gate      seed-app");
    assertThat(f.fake().calls()).isEmpty();
  }

  @Test
  void updateAnswers202WithARunAndWaitReturnsTheEndedRun() throws Exception {
    start(TOKEN, false);
    f.pushV2();

    Answer a = call("POST", "/api/v1/groups/seed/update?wait=true", TOKEN);

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body().path("state").asText()).isEqualTo("succeeded");
    assertThat(a.body().path("steps").get(0).path("startedAt").asText()).isNotEmpty();
    String id = a.body().path("id").asText();
    assertThat(call("GET", "/api/v1/runs/" + id, TOKEN).body().path("state").asText())
        .isEqualTo("succeeded");
    assertThat(call("GET", "/api/v1/runs?group=seed", TOKEN).body()).hasSize(1);
    Answer queued = call("POST", "/api/v1/groups/seed/heal", TOKEN);
    assertThat(queued.status()).isEqualTo(202);
    assertThat(queued.body().path("id").asText()).matches("[0-9a-f]{8}");
  }

  @Test
  void withoutATokenMutatingEndpointsAreOffUnlessInsecureOnLoopback() throws Exception {
    start(null, false);
    assertThat(call("GET", "/api/v1/groups", null).status()).isEqualTo(200);
    Answer off = call("POST", "/api/v1/groups/seed/heal", null);
    assertThat(off.status()).isEqualTo(403);
    assertThat(off.body().path("error").asText()).contains("HOLDFAST_API_TOKEN");
    app.stop();

    start(null, true);
    assertThat(call("POST", "/api/v1/groups/seed/heal?wait=true", null).status()).isEqualTo(200);
  }
}
