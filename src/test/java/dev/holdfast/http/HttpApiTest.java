package dev.holdfast.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.run.ApiFixture;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpApiTest {

  private static final String TOKEN = HttpFixture.TOKEN;
  private final ApiFixture f = new ApiFixture();
  private HttpFixture api;

  private void start(String token, boolean insecure) {
    HttpFixture.Options o = HttpFixture.Options.defaults();
    o = token == null ? o.withoutToken() : o;
    api = HttpFixture.start(f, insecure ? o.insecure() : o);
  }

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  private record Answer(int status, JsonNode body) {}

  private Answer call(String method, String path, String token) {
    HttpFixture.Answer a =
        token == null
            ? api.call(method, path, null)
            : api.call(method, path, null, "Authorization", "Bearer " + token);
    return new Answer(a.status(), a.text().isEmpty() ? null : a.json());
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
    api.close();

    start(null, true);
    assertThat(call("POST", "/api/v1/groups/seed/heal?wait=true", null).status()).isEqualTo(200);
  }

  @Test
  void aStoreThatCannotBeWrittenIsReportedButKeepsHoldfastReady() {
    start(TOKEN, false);
    api.store().failed("disk full");

    Answer ready = call("GET", "/readyz", null);
    Answer group = call("GET", "/api/v1/groups/seed", TOKEN);

    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body().path("store").asText()).isEqualTo("refusing runs: disk full");
    assertThat(ready.body().path("engine").asText()).isEqualTo("reachable");
    assertThat(group.body().path("problems").toString())
        .contains("runs are refused: the store cannot be written (disk full)");
  }

  @Test
  void everyFailureAnswersTheOneErrorBody() {
    start(TOKEN, false);

    Answer unknownEndpoint = call("GET", "/api/v1/nothing", TOKEN);
    Answer unknownGroup = call("GET", "/api/v1/groups/nope", TOKEN);
    Answer badFlag = call("POST", "/api/v1/groups/seed/update?wait=maybe", TOKEN);
    Answer v1 = call("GET", "/v1/metrics", "nope");

    assertThat(unknownEndpoint.body().path("error").asText()).isEqualTo("no such endpoint");
    assertThat(unknownGroup.body().path("error").asText()).isEqualTo("no group nope");
    assertThat(badFlag.body().path("error").asText())
        .isEqualTo("wait: true or false expected, not 'maybe'");
    for (Answer a : new Answer[] {unknownEndpoint, unknownGroup, badFlag, v1}) {
      assertThat(a.body().path("status").asInt()).isEqualTo(a.status());
    }
    // Watchtower's API stamps its errors as it stamps its answers
    assertThat(v1.body().path("api_version").asText()).isEqualTo("v1");
    assertThat(v1.body().path("timestamp").asText()).isNotEmpty();
    assertThat(unknownGroup.body().has("api_version")).isFalse();
  }

  @Test
  void flagsAreTrueOrFalseInAnyCaseOrOneAndZero() {
    start(TOKEN, false);
    f.pushV2();

    Answer upper = call("POST", "/api/v1/groups/seed/update?dryRun=TRUE", TOKEN);
    assertThat(upper.body().path("dryRun").asBoolean()).isTrue();
    assertThat(call("POST", "/api/v1/groups/seed/update?dryRun=1", TOKEN).status()).isEqualTo(200);
    assertThat(f.fake().calls()).isEmpty();
    assertThat(call("POST", "/api/v1/groups/seed/update?dryRun=0&wait=1", TOKEN).status())
        .isEqualTo(200);
    assertThat(f.journal().list("seed")).hasSize(1);
  }
}
