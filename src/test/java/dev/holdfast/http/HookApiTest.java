package dev.holdfast.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.http.HttpFixture.Answer;
import dev.holdfast.run.ApiFixture;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HookApiTest {

  static final String TOKEN = HttpFixture.TOKEN;
  static final String SECRET = HttpFixture.SECRET;
  static final String DIGEST = "sha256:" + "2".repeat(64);

  private final ApiFixture f = new ApiFixture();
  private HttpFixture api;

  /** Starts the edge; {@code rate} requests per second per client. */
  private void start(int rate) {
    start(HttpFixture.Options.defaults().rate(rate));
  }

  private void start(HttpFixture.Options options) {
    api = HttpFixture.start(f, options);
  }

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  private Answer call(String method, String path, String body, String... headers) {
    return api.call(method, path, body, headers);
  }

  static String distributionPush(String repository, String tag) {
    return """
        {"events":[{"id":"e-%s-%s","timestamp":"2026-11-28T10:00:00Z","action":"push",
        "target":{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","size":527,
        "digest":"%s","length":527,"repository":"%s","url":"http://reg.test/v2/%s/manifests/%s",
        "tag":"%s"},"request":{"id":"r1","addr":"127.0.0.1:5","host":"reg.test","method":"PUT",
        "useragent":"docker/20.10"},"actor":{},"source":{"addr":"vm:5000","instanceID":"i"}}]}
        """
        .formatted(repository, tag, DIGEST, repository, repository, DIGEST, tag);
  }

  private Answer hook(String body, String... extraHeaders) {
    String[] headers = new String[extraHeaders.length + 4];
    headers[0] = "Content-Type";
    headers[1] = "application/vnd.docker.distribution.events.v1+json";
    headers[2] = "Authorization";
    headers[3] = "Bearer " + SECRET;
    System.arraycopy(extraHeaders, 0, headers, 4, extraHeaders.length);
    return call("POST", "/hooks/registry", body, headers);
  }

  @Test
  void aRegistryPushOfTheAppsTagUpdatesItsGroupAndSaysSo() throws Exception {
    start(1000);
    f.pushV2();

    Answer a = hook(distributionPush("app", "live"));

    assertThat(a.status()).isEqualTo(200);
    JsonNode push = a.json().path("pushes").get(0);
    assertThat(push.path("image").asText()).isEqualTo("reg.test/app:live");
    assertThat(push.path("outcome").asText()).isEqualTo("updating");
    assertThat(push.path("groups").get(0).path("group").asText()).isEqualTo("seed");
    assertThat(f.journal().list("seed")).hasSize(1);
    assertThat(f.journal().list("seed").get(0).trigger())
        .isEqualTo("hook distribution push reg.test/app:live");
  }

  @Test
  void aDryRunAnalysesAndActsOnNothing() throws Exception {
    start(1000);

    Answer a =
        call(
            "POST",
            "/hooks/registry/distribution?dryRun=true",
            distributionPush("app", "live"),
            "Authorization",
            "Bearer " + SECRET);

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().path("dryRun").asBoolean()).isTrue();
    assertThat(a.json().path("pushes").get(0).path("outcome").asText()).isEqualTo("would update");
    assertThat(f.journal().list("seed")).isEmpty();
  }

  @Test
  void aDryRunFlagThatIsNeitherTrueNorFalseIsRefusedNotActedOn() throws Exception {
    start(1000);
    f.pushV2();

    Answer a =
        call(
            "POST",
            "/hooks/registry/distribution?dryRun=yes",
            distributionPush("app", "live"),
            "Authorization",
            "Bearer " + SECRET);

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.json().path("error").asText())
        .isEqualTo("dryRun: true or false expected, not 'yes'");
    assertThat(f.journal().list("seed")).isEmpty();
  }

  @Test
  void ignoredEventsAre200WithTheirReason() throws Exception {
    start(1000);

    Answer a = hook(distributionPush("app", "live").replace("\"push\"", "\"pull\""));

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().path("ignored").get(0).asText()).contains("not a push");
    assertThat(f.journal().list("seed")).isEmpty();
  }

  @Test
  void credentialsAreCheckedBeforeAnything() throws Exception {
    start(1000);
    String body = distributionPush("app", "live");

    Answer none = call("POST", "/hooks/registry/distribution", body);
    Answer wrong =
        call("POST", "/hooks/registry/distribution", body, "Authorization", "Bearer nope");
    Answer query = call("POST", "/hooks/registry/distribution?token=" + SECRET, body);

    assertThat(none.status()).isEqualTo(401);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.text()).doesNotContain(SECRET);
    assertThat(query.status()).isEqualTo(200);
    assertThat(f.journal().list("seed")).hasSize(1);
  }

  @Test
  void malformedUnknownAndOversizedAreRefusedAndChangeNothing() throws Exception {
    start(1000);

    assertThat(hook("{\"events\": [").status()).isEqualTo(400);
    assertThat(
            call("POST", "/hooks/registry/nexus", "{}", "Authorization", "Bearer " + SECRET)
                .status())
        .isEqualTo(404);
    String big = "{\"events\":[],\"pad\":\"" + "x".repeat(ClientLimits.MAX_BODY) + "\"}";
    assertThat(hook(big).status()).isEqualTo(413);
    assertThat(f.journal().list("seed")).isEmpty();
  }

  @Test
  void aClientOverItsBudgetGets429WithRetryAfter() throws Exception {
    start(3);
    String body = distributionPush("other", "live");

    for (int i = 0; i < 3; i++) {
      assertThat(hook(body).status()).isEqualTo(200);
    }
    Answer limited = hook(body);

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.headers()).containsEntry("retry-after", "1");
  }

  @Test
  void watchtowerNotificationsUpdateTheMemberTheyNameAsStale() throws Exception {
    start(1000);
    f.pushV2();
    String body = "Found new reg.test/app:live image (0123456789ab)\n";

    Answer refused = call("POST", "/hooks/watchtower", body, "Content-Type", "text/plain");
    Answer a =
        call("POST", "/hooks/watchtower?token=" + SECRET, body, "Content-Type", "application/json");

    assertThat(refused.status()).isEqualTo(401);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().path("notices").get(0).path("outcome").asText()).isEqualTo("updating");
    assertThat(f.journal().list("seed")).hasSize(1);
  }

  @Test
  void preUpdateRefusesHoldersAndMembersAndAllowsTheRest() throws Exception {
    start(1000);
    String q = "/hooks/watchtower/pre-update?token=" + SECRET + "&container=";

    Answer member = call("GET", q + "seed-app", null);
    Answer holder = call("GET", q + "seed-holder", null);
    Answer stranger = call("GET", q + "stranger", null);
    Answer bad = call("GET", q + "a%20b", null);

    assertThat(member.status()).isEqualTo(409);
    assertThat(member.json().path("allowed").asBoolean()).isFalse();
    assertThat(holder.status()).isEqualTo(409);
    assertThat(holder.json().path("reason").asText()).contains("holders are never updated");
    assertThat(stranger.status()).isEqualTo(200);
    assertThat(stranger.json().path("allowed").asBoolean()).isTrue();
    assertThat(bad.status()).isEqualTo(400);
  }

  @Test
  void v1UpdateUpdatesMatchingMembersAndAnswersASummary() throws Exception {
    start(1000);
    f.pushV2();

    Answer none = call("POST", "/v1/update?image=reg.test/app", null);
    Answer a =
        call("POST", "/v1/update?image=reg.test/app", null, "Authorization", "Bearer " + TOKEN);

    assertThat(none.status()).isEqualTo(401);
    assertThat(a.status()).isEqualTo(200);
    JsonNode s = a.json().path("summary");
    assertThat(s.path("scanned").asInt()).isEqualTo(1);
    assertThat(s.path("updated").asInt()).isEqualTo(1);
    assertThat(s.path("failed").asInt()).isZero();
    assertThat(a.json().path("api_version").asText()).isEqualTo("v1");
    assertThat(a.json().path("groups").get(0).path("state").asText()).isEqualTo("succeeded");
  }

  @Test
  void v1UpdateRefusesABadFilterAndMetricsSpeakWatchtower() throws Exception {
    start(1000);

    Answer bad = call("POST", "/v1/update?image=a%20b", null, "Authorization", "Bearer " + TOKEN);
    call("POST", "/v1/update", null, "Authorization", "Bearer " + TOKEN);
    Answer metrics = call("GET", "/v1/metrics", null, "Authorization", "Bearer " + TOKEN);

    assertThat(bad.status()).isEqualTo(400);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.text())
        .contains("watchtower_containers_scanned 2.0")
        .contains("watchtower_scans_total 1.0")
        .contains("watchtower_scans_skipped_total 0.0");
    assertThat(call("GET", "/v1/metrics", null).status()).isEqualTo(401);
  }

  @Test
  void anUntargetedUpdateWhileAnotherRunsIs429AndAsyncIs202() throws Exception {
    java.util.List<Runnable> queued = new java.util.ArrayList<>();
    start(
        HttpFixture.Options.defaults()
            .sessionsOn(
                f.coordinator(queued::add))); // runs stay queued: the first session never ends

    Answer first = call("POST", "/v1/update?async=true", null, "Authorization", "Bearer " + TOKEN);
    Answer second = call("POST", "/v1/update", null, "Authorization", "Bearer " + TOKEN);

    assertThat(first.status()).isEqualTo(202);
    assertThat(second.status()).isEqualTo(429);
    assertThat(second.headers()).containsEntry("retry-after", "30");
    assertThat(second.json().path("error").asText()).isEqualTo("another update is already running");
    assertThat(queued).hasSize(1);
  }

  @Test
  void secretsNeverReachTheLogs() throws Exception {
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
        new ch.qos.logback.core.read.ListAppender<>();
    logs.start();
    root.addAppender(logs);
    try {
      start(1000);
      f.pushV2();
      hook(distributionPush("app", "live"));
      call("POST", "/hooks/registry?token=" + SECRET + "x", distributionPush("app", "live"));
      call("POST", "/hooks/watchtower", "Creating /seed-app\n", "Authorization", SECRET + "y");
      call("GET", "/v1/metrics", null, "Authorization", "Bearer " + TOKEN + "z");
    } finally {
      root.detachAppender(logs);
    }

    assertThat(logs.list).isNotEmpty();
    assertThat(logs.list)
        .allSatisfy(
            e -> assertThat(e.getFormattedMessage()).doesNotContain(SECRET).doesNotContain(TOKEN));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
