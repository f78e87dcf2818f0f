package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.testing.Docker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The seed scenario: v1 running, v2 pushed under the same tag, holdfast updates the group. On
 * bookworm's engine; {@link SeedUpdateSidIT} on sid's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeedUpdateIT extends SeedScenario {

  private static final List<String> DESTRUCTIVE =
      List.of("create", "withdraw", "stop", "set-aside", "place", "start", "remove");

  @Override
  SeedGroup seed(Docker engine) {
    return SeedGroup.of("upd", engine);
  }

  @BeforeAll
  void publishV2() {
    env.registry.publish("holdfast-test/app:v2", "hf/app:live");
  }

  @Test
  @Order(1)
  void dryRunReturnsThePlanAndChangesNothing() {
    Map<String, String> before = Snapshot.of(env);

    HoldfastClient.Response r = env.holdfast.update(env.group, "dryRun=true");

    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    assertThat(r.body().path("dryRun").asBoolean()).isTrue();
    String plan = r.body().path("plan").asText();
    assertThat(plan).contains("update group " + env.group, "pull", env.app, "gate", "withdraw");
    assertThat(Snapshot.of(env)).isEqualTo(before);
    assertThat(env.served()).isEqualTo("v1");
  }

  @Test
  @Order(2)
  void updateServesV2KeepsTheHolderAndWithdrawsOnlyDuringTheRun() {
    String holderId = env.engine.id(env.holder);
    String holderStarted = env.engine.startedAt(env.holder);
    Map<String, String> holderIps = env.engine.ips(env.holder);
    Instant t0;
    Instant t1;
    HoldfastClient.Response r;
    try (PeerSampler sampler = env.sampler(Duration.ofMinutes(3))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> sampler.samples().size() >= 5);
      t0 = Instant.now();
      r = env.holdfast.update(env.group, "wait=true");
      t1 = Instant.now();
      await("route back at the peer").atMost(Duration.ofSeconds(30)).until(env::peerHasPrefix);
      Instant t2 = Instant.now();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> !sampler.between(t2, t2.plusSeconds(60)).isEmpty());
      String timeline = sampler.timeline();
      // only samples that had their answer before the update was asked for: one that began
      // just before may already see the withdrawal
      assertThat(
              sampler.between(Instant.MIN, t0).stream().filter(s -> s.end().isBefore(t0)).toList())
          .as("before the run, timeline " + timeline)
          .isNotEmpty()
          .allMatch(PeerSampler.Sample::present);
      assertThat(sampler.between(t0, t1))
          .as("during the run, timeline " + timeline)
          .anyMatch(s -> s.answered() && !s.present());
      assertThat(sampler.between(t2, Instant.MAX))
          .as("after the run, timeline " + timeline)
          .allMatch(PeerSampler.Sample::present);
      await("BGP session Established")
          .atMost(Duration.ofSeconds(30))
          .until(() -> sampler.protocols().contains("Established"));
      System.out.println(
          "["
              + getClass().getSimpleName()
              + "] peer timeline (100 ms, + present, - absent): "
              + timeline);
    }

    JsonNode run = r.body();
    assertThat(run.path("state").asText()).as(run.toPrettyString()).isEqualTo("succeeded");
    assertThat(env.served()).isEqualTo("v2");
    assertThat(env.engine.id(env.holder)).isEqualTo(holderId);
    assertThat(env.engine.startedAt(env.holder)).isEqualTo(holderStarted);
    assertThat(env.engine.ips(env.holder)).isEqualTo(holderIps);
    JsonNode app = env.engine.mustInspect(env.app);
    assertThat(app.path("Image").asText()).isEqualTo(env.engine.imageId("holdfast-test/app:v2"));
    assertThat(Docker.label(app, "holdfast.run")).isEqualTo(run.path("id").asText());
    assertThat(Docker.label(app, Docker.SESSION_LABEL))
        .as("holdfast copies labels onto the replacement")
        .isEqualTo(env.session);
    assertThat(Docker.label(app, "holdfast.test")).isEqualTo("true");
    for (String member : List.of(env.app, env.router)) {
      assertThat(Docker.networkMode(env.engine.mustInspect(member)))
          .as(member)
          .isEqualTo("container:" + holderId);
    }
    assertThat(env.holdfast.attached(env.group, 2)).isTrue();
    assertThat(env.asides()).isEmpty();
    env.assertConsistent();
  }

  @Test
  @Order(3)
  void secondUpdateWithNothingNewTouchesNothing() {
    Map<String, String> before = Snapshot.of(env);

    JsonNode run = env.holdfast.update(env.group, "wait=true").body();

    assertThat(run.path("state").asText()).as(run.toPrettyString()).isEqualTo("succeeded");
    assertThat(run.path("plan").asText()).contains("nothing to do");
    for (JsonNode step : run.path("steps")) {
      String verb = step.path("step").asText().strip().split("\\s+")[0];
      assertThat(DESTRUCTIVE).as(run.toPrettyString()).doesNotContain(verb);
    }
    assertThat(Snapshot.of(env)).isEqualTo(before);
    assertThat(env.served()).isEqualTo("v2");
  }
}
