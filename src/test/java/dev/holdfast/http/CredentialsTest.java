package dev.holdfast.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.http.HttpFixture.Answer;
import dev.holdfast.http.HttpFixture.Options;
import dev.holdfast.run.ApiFixture;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one credential check, variant by variant, as callers meet it over HTTP. */
class CredentialsTest {

  private static final String TOKEN = HttpFixture.TOKEN;
  private static final String PUSH = HookApiTest.distributionPush("other", "live");

  private final ApiFixture f = new ApiFixture();
  private HttpFixture api;

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  private Answer get(String path, String... headers) {
    return api.call("GET", path, null, headers);
  }

  private Answer post(String path, String body, String... headers) {
    return api.call("POST", path, body, headers);
  }

  @Test
  void theApiTokenIsABearerTokenTheSchemeInAnyCaseOrLeftOut() {
    api = HttpFixture.start(f);

    for (String path : new String[] {"/api/v1/groups", "/v1/metrics"}) {
      assertThat(get(path, "Authorization", "Bearer " + TOKEN).status()).as(path).isEqualTo(200);
      assertThat(get(path, "Authorization", "bearer " + TOKEN).status()).as(path).isEqualTo(200);
      assertThat(get(path, "Authorization", TOKEN).status()).as(path).isEqualTo(200);
      Answer wrong = get(path, "Authorization", "Bearer " + TOKEN + "x");
      assertThat(wrong.status()).as(path).isEqualTo(401);
      assertThat(wrong.json().path("error").asText()).isEqualTo("wrong token");
      Answer missing = get(path);
      assertThat(missing.status()).as(path).isEqualTo(401);
      assertThat(missing.json().path("error").asText()).isEqualTo("missing bearer token");
      // the API's endpoints never take a credential from the URL, where logs and proxies keep it
      assertThat(get(path + "?token=" + TOKEN).status()).as(path).isEqualTo(401);
    }
  }

  @Test
  void withoutAnApiTokenReadsAreOpenRunsAreOffAndWatchtowersApiIsRefused() {
    api = HttpFixture.start(f, Options.defaults().withoutToken());

    assertThat(get("/api/v1/groups").status()).isEqualTo(200);
    assertThat(get("/api/v1/runs").status()).isEqualTo(200);
    Answer run = post("/api/v1/groups/seed/heal", null);
    assertThat(run.status()).isEqualTo(403);
    assertThat(run.json().path("error").asText()).startsWith("mutating endpoints are off");
    Answer v1 = get("/v1/metrics");
    assertThat(v1.status()).isEqualTo(401);
    assertThat(v1.json().path("error").asText())
        .isEqualTo("API token not configured (HOLDFAST_API_TOKEN)");
    assertThat(f.journal().list("seed")).isEmpty();
  }

  @Test
  void insecureNoAuthOpensWhatHasNoCredentialAndNothingElse() {
    api =
        HttpFixture.start(
            f, Options.defaults().withoutToken().secrets(Map.of("distribution", "d")).insecure());

    assertThat(post("/api/v1/groups/seed/heal?wait=true", null).status()).isEqualTo(200);
    assertThat(get("/v1/metrics").status()).isEqualTo(200);
    assertThat(post("/hooks/registry/quay", "{}").status()).isNotEqualTo(401);
    assertThat(post("/hooks/watchtower", "nothing\n").status()).isEqualTo(200);
    assertThat(post("/hooks/registry/distribution", PUSH).status()).isEqualTo(401);
  }

  @Test
  void aSenderPresentsItsOwnSecretElseTheSharedOneAndWithoutAnyIsRefused() {
    api = HttpFixture.start(f, Options.defaults().secrets(Map.of("distribution", "d-secret")));

    assertThat(post("/hooks/registry/distribution", PUSH, "Authorization", "Bearer d-secret"))
        .extracting(Answer::status)
        .isEqualTo(200);
    assertThat(post("/hooks/registry/distribution?token=d-secret", PUSH).status()).isEqualTo(200);
    Answer wrong = post("/hooks/registry/distribution", PUSH, "Authorization", "Bearer x");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().path("error").asText())
        .isEqualTo("wrong or missing distribution credentials");
    Answer none = post("/hooks/registry/quay?token=d-secret", "{}");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.json().path("error").asText())
        .isEqualTo("no secret configured for quay hooks (HOLDFAST_HOOK_SECRET)");
    stop();

    api = HttpFixture.start(f); // the shared secret, for every sender
    assertThat(post("/hooks/registry/quay?token=" + HttpFixture.SECRET, "{}").status())
        .isNotEqualTo(401);
  }

  @Test
  void watchtowerFallsBackToTheApiTokenInTheHeaderOrTheQuery() {
    api = HttpFixture.start(f, Options.defaults().secrets(Map.of()));

    assertThat(post("/hooks/watchtower?token=" + TOKEN, "nothing\n").status()).isEqualTo(200);
    assertThat(post("/hooks/watchtower", "nothing\n", "Authorization", TOKEN).status())
        .isEqualTo(200);
    assertThat(
            get(
                    "/hooks/watchtower/pre-update?container=stranger",
                    "Authorization",
                    "Bearer " + TOKEN)
                .status())
        .isEqualTo(200);
    Answer wrong = post("/hooks/watchtower?token=nope", "nothing\n");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().path("error").asText())
        .isEqualTo("wrong or missing watchtower credentials");
    stop();

    api = HttpFixture.start(f, Options.defaults().secrets(Map.of("watchtower", "w")));
    assertThat(post("/hooks/watchtower?token=" + TOKEN, "nothing\n").status()).isEqualTo(401);
    assertThat(post("/hooks/watchtower?token=w", "nothing\n").status()).isEqualTo(200);
  }

  @Test
  void refusedHooksAreCountedBySender() {
    api = HttpFixture.start(f);

    post("/hooks/registry/distribution", PUSH, "Authorization", "Bearer nope");
    post("/hooks/watchtower?token=nope", "nothing\n");

    String metrics = get("/v1/metrics", "Authorization", "Bearer " + TOKEN).text();
    assertThat(metrics.lines().filter(l -> l.startsWith("holdfast_hooks_total")))
        .anySatisfy(l -> assertThat(l).contains("outcome=\"refused\"", "sender=\"distribution\""))
        .anySatisfy(l -> assertThat(l).contains("outcome=\"refused\"", "sender=\"watchtower\""));
  }
}
