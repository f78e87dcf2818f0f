package dev.holdfast.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.run.ApiFixture;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The prefixes API over the fake engine's seed group, announcing 192.0.2.53/32. */
class PrefixApiTest {

  private final ApiFixture f = new ApiFixture();
  private HttpFixture api;

  @BeforeEach
  void start() {
    f.relabelRouter(Map.of("holdfast.prefixes", "192.0.2.53/32"));
    api = HttpFixture.start(f);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private HttpFixture.Answer call(String method, String path) {
    return api.call(method, path, null, "Authorization", "Bearer " + HttpFixture.TOKEN);
  }

  @Test
  void aRunOfASiteShowsItsPrefixWithItsSiteAndBudget() {
    f.pushV2();
    HttpFixture.Answer run = call("POST", "/api/v1/groups/seed/update?wait=true");
    assertThat(run.status()).as(run.text()).isEqualTo(200);
    assertThat(run.json().path("plan").asText()).contains("admit").contains("release");
    assertThat(run.json().path("waiting").isNull()).isTrue();

    JsonNode body = call("GET", "/api/v1/prefixes").json();

    assertThat(body.path("problem").isNull()).isTrue();
    JsonNode p = body.path("prefixes").get(0);
    assertThat(p.path("prefix").asText()).isEqualTo("192.0.2.53/32");
    assertThat(p.path("budget").path("maxWithdrawn").asInt()).isEqualTo(1);
    assertThat(p.path("sites").get(0).path("site").asText())
        .isEqualTo(f.siteReporter().siteOf("seed"));
    assertThat(p.path("sites").get(0).path("state").asText()).isEqualTo("announcing");
    assertThat(p.path("sites").get(0).path("slot").asBoolean()).isFalse();
    assertThat(p.path("announcing").asInt()).isEqualTo(1);
    JsonNode group = call("GET", "/api/v1/groups/seed").json();
    assertThat(group.path("site").asText()).isEqualTo(f.siteReporter().siteOf("seed"));
    assertThat(group.path("prefixes").toString()).isEqualTo("[\"192.0.2.53/32\"]");
  }

  @Test
  void resumeAndForgetCheckTheirInputAndTheToken() {
    assertThat(call("POST", "/api/v1/prefixes/resume?prefix=nonsense").status()).isEqualTo(400);
    HttpFixture.Answer notHalted = call("POST", "/api/v1/prefixes/resume?prefix=192.0.2.53%2F32");
    assertThat(notHalted.status()).isEqualTo(200);
    assertThat(notHalted.json().path("resumed").asBoolean()).isFalse();
    assertThat(api.call("POST", "/api/v1/prefixes/resume?prefix=192.0.2.53%2F32", null).status())
        .isEqualTo(401);
    assertThat(call("POST", "/api/v1/sites/forget?site=../x").status()).isEqualTo(400);
    assertThat(call("POST", "/api/v1/sites/forget").status()).isEqualTo(400);

    f.pushV2();
    call("POST", "/api/v1/groups/seed/update?wait=true");
    assertThat(call("GET", "/api/v1/prefixes").json().path("prefixes")).hasSize(1);
    assertThat(
            call("POST", "/api/v1/sites/forget?site=" + f.siteReporter().siteOf("seed")).status())
        .isEqualTo(200);
    assertThat(call("GET", "/api/v1/prefixes").json().path("prefixes")).isEmpty();
  }
}
