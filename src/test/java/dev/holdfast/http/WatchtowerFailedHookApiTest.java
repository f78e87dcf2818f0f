package dev.holdfast.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.run.ApiFixture;
import dev.holdfast.run.RunView;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /hooks/watchtower} with the failed-item fixtures of both Watchtower versions, their
 * containers renamed to the fixture group's (holder {@code seed-holder}, app {@code seed-app}):
 * what holdfast answers, and the runs it starts (they run inline here).
 */
class WatchtowerFailedHookApiTest {

  private static final String SECRET = HttpFixture.SECRET;
  private static final String APP_IMAGE = "127.0.0.1:5055/hf/app:latest";

  private final ApiFixture f = new ApiFixture();
  private HttpFixture api;

  @BeforeEach
  void start() {
    api = HttpFixture.start(f);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "generic-json-report-failed-pre-update-75.json",
        "generic-json-report-failed-pre-update-1.json",
        "generic-templatejson-jsonv1-report-failed-pre-update-75.json",
        "generic-plain-report-failed-pre-update-75.txt",
        "nf-json-report-failed-pre-update-75.json",
        "nf-report-failed-pre-update-75.txt"
      })
  void aVetoedStaleAppIsUpdatedSafelyAndTheAnswerSaysSo(String fixture) throws Exception {
    f.pushV2();
    String before = f.fake().container("seed-app").orElseThrow().imageId();
    String body = fixture(fixture).replace(APP_IMAGE, "reg.test/app:live");

    JsonNode vetoed = only(post(rename(body, "app", "seed-app")), "vetoed");

    assertThat(vetoed.path("container").asText()).isEqualTo("seed-app");
    assertThat(vetoed.path("image").asText()).isEqualTo("reg.test/app:live");
    assertThat(vetoed.path("error").asText()).containsAnyOf("exit code 75", "exited with code 1");
    assertThat(vetoed.path("outcome").asText()).isEqualTo("updating");
    assertThat(vetoed.path("group").path("group").asText()).isEqualTo("seed");
    assertThat(vetoed.path("group").path("members").toString()).isEqualTo("[\"seed-app\"]");
    if (fixture.endsWith(".json")) {
      assertThat(vetoed.path("currentImageId").asText()).isEqualTo("e1477cf97a5f");
      assertThat(vetoed.path("latestImageId").asText()).isEqualTo("350f67c939c6");
    } else {
      assertThat(vetoed.path("currentImageId").isNull()).isTrue();
    }
    RunView run = f.journal().list("seed").get(0);
    assertThat(f.journal().list("seed")).hasSize(1);
    assertThat(run.id()).isEqualTo(vetoed.path("group").path("run").asText());
    assertThat(run.kind()).isEqualTo("update");
    assertThat(run.state()).isEqualTo("succeeded");
    String after = f.fake().container("seed-app").orElseThrow().imageId();
    assertThat(after)
        .isNotEqualTo(before)
        .isEqualTo(f.fake().image("reg.test/app:live").get().id());
  }

  @Test
  void legacyLinesOfAVetoUpdateThroughTheNewImageTheySayWasFound() throws Exception {
    f.pushV2();
    String body =
        fixture("generic-plain-default-failed-pre-update-1.txt")
            .replace(APP_IMAGE, "reg.test/app:live");

    JsonNode notices = post(body).path("notices");

    assertThat(notices.get(0).path("kind").asText()).isEqualTo("new-image");
    assertThat(notices.get(0).path("outcome").asText()).isEqualTo("updating");
    assertThat(only(notices, "vetoed").path("outcome").asText()).isEqualTo("ignored");
    assertThat(f.journal().list("seed")).extracting(RunView::kind).containsExactly("update");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "generic-json-report-failed-holder-port.json",
        "generic-plain-report-failed-holder-port.txt",
        "generic-plain-default-failed-holder-port.txt",
        "nf-json-report-failed-holder-port.json",
        "nf-report-failed-holder-port.txt"
      })
  void aHolderWhoseRecreateFailedIsHealedNeverUpdated(String fixture) throws Exception {
    String body = rename(rename(fixture(fixture), "vpn", "seed-holder"), "qbittorrent", "seed-app");

    JsonNode answer = post(body);
    JsonNode holder = only(answer.path("notices"), "recreate-failed");

    assertThat(holder.path("container").asText()).isEqualTo("seed-holder");
    assertThat(holder.path("error").asText()).endsWith("port is already allocated");
    assertThat(holder.path("outcome").asText()).isEqualTo("healing");
    assertThat(holder.path("why").asText())
        .startsWith("holder of group seed; holders are never updated");
    // one heal however often the notification names the group; no update, ever
    assertThat(f.journal().list("seed")).extracting(RunView::kind).containsExactly("heal");
  }

  @Test
  void aVetoedHolderIsLeftAloneAndTheAnswerSaysWhy() throws Exception {
    String body =
        rename(fixture("generic-json-report-failed-pre-update-75.json"), "app", "seed-holder");

    JsonNode vetoed = only(post(body), "vetoed");

    assertThat(vetoed.path("outcome").asText()).isEqualTo("ignored");
    assertThat(vetoed.path("group").isNull()).isTrue();
    assertThat(vetoed.path("why").asText())
        .startsWith("holder of group seed; holders are never updated");
    assertThat(f.journal().list("seed")).isEmpty();
  }

  /** The one notice of that kind (in an answer, or in its notices). */
  private static JsonNode only(JsonNode answerOrNotices, String kind) {
    JsonNode notices =
        answerOrNotices.has("notices") ? answerOrNotices.path("notices") : answerOrNotices;
    List<JsonNode> matching =
        StreamSupport.stream(notices.spliterator(), false)
            .filter(n -> n.path("kind").asText().equals(kind))
            .toList();
    assertThat(matching).as("%s notices in %s", kind, notices).hasSize(1);
    return matching.get(0);
  }

  /** A container's name in a fixture, with or without Docker's '/', also when double encoded. */
  private static String rename(String body, String from, String to) {
    return body.replaceAll("(?<=[\\s\"/])" + from + "(?=[\\s\"\\\\(]|$)", to);
  }

  private JsonNode post(String body) {
    HttpFixture.Answer r =
        api.call(
            "POST", "/hooks/watchtower?token=" + SECRET, body, "Content-Type", "application/json");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  private static String fixture(String name) throws IOException {
    try (InputStream in =
        WatchtowerFailedHookApiTest.class.getResourceAsStream("/fixtures/watchtower/" + name)) {
      assertThat(in).as("fixture %s", name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
