package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Watchtower's notifications, as Watchtower's generic webhook sends them, on a real group: a
 * monitor-only report naming the app stale updates the group safely, and so does a report whose
 * failed item is the app vetoed by the pre-update hook (exit 75) with a newer image out; a holder
 * that Watchtower recreated, or failed to recreate, gets its group healed. (Watchtower itself
 * cannot run here: no public registry. Its bodies are the ones the reference documents, the
 * containers and images are real.)
 */
class WatchtowerHookIT {

  @RegisterExtension static final SeedGroup env = SeedGroup.of("wt");

  /** A json.v1 report in which Watchtower (monitor-only) found the app stale. */
  private static String staleReport() {
    String item =
        """
        {"currentImageId": "731999aa67ba", "id": "%s", "imageName": "%s",
         "latestImageId": "38cdfd705015", "name": "/%s", "state": "Stale"}"""
            .formatted(env.engine.id(env.app).substring(0, 12), env.appRef, env.app);
    return """
        {"entries": [{"data": {}, "level": "info", "message": "Found new %s image (38cdfd705015)",
          "time": "2026-11-28T04:00:05.1Z"}],
         "host": "docker-host",
         "report": {"failed": [], "fresh": [], "scanned": [%s], "skipped": [], "stale": [%s],
                    "updated": []},
         "title": "Watchtower updates on docker-host"}"""
        .formatted(env.appRef, item, item);
  }

  /** A json.v1 report with one failed item: the container, its error, its image ids. */
  private static String failedReport(String container, String image, String error) {
    String item =
        """
        {"currentImageId": "731999aa67ba", "error": "%s", "id": "%s", "imageName": "%s",
         "latestImageId": "38cdfd705015", "name": "/%s", "state": "Failed"}"""
            .formatted(error, env.engine.id(container).substring(0, 12), image, container);
    return """
        {"entries": [],
         "host": "docker-host",
         "report": {"failed": [%s], "fresh": [], "scanned": [%s], "skipped": [], "stale": [],
                    "updated": []},
         "title": "Watchtower updates on docker-host"}"""
        .formatted(item, item);
  }

  @Test
  void aReportWhoseFailedItemIsTheVetoedAppUpdatesTheGroupSafely() {
    String holderId = env.engine.id(env.holder);
    String next = env.served().equals("v2") ? "v1" : "v2";
    env.registry.publish("holdfast-test/app:" + next, "hf/app:live");
    long updatesBefore = succeededUpdates(env.holdfast.runs(env.group));
    String body =
        failedReport(
            env.app,
            env.appRef,
            "skipping container as the pre-update command returned exit code 75 (EX_TEMPFAIL)");

    JsonNode notice = deliver("application/json", body).path("notices").get(0);
    assertThat(notice.path("kind").asText()).isEqualTo("vetoed");
    assertThat(notice.path("outcome").asText()).isEqualTo("updating");
    assertThat(notice.path("latestImageId").asText()).isEqualTo("38cdfd705015");
    env.awaitRuns("the update succeeded", runs -> succeededUpdates(runs) > updatesBefore);
    assertThat(env.served()).isEqualTo(next);
    assertThat(env.engine.id(env.holder)).isEqualTo(holderId);
    assertThat(env.holdfast.attached(env.group, 2)).isTrue();
  }

  @Test
  void aHolderWhoseRecreateByWatchtowerFailedIsHealedNeverUpdated() {
    env.recreateHolder(); // what Watchtower left: a new holder, the members in the old namespace
    String body =
        failedReport(
            env.holder,
            "holdfast-test/holder:1",
            "Error response from daemon: driver failed programming external connectivity on"
                + " endpoint x: Bind for 0.0.0.0:8080 failed: port is already allocated");

    JsonNode notice = deliver("application/json", body).path("notices").get(0);
    assertThat(notice.path("kind").asText()).isEqualTo("recreate-failed");
    assertThat(notice.path("outcome").asText()).isEqualTo("healing");
    assertThat(notice.path("why").asText())
        .startsWith("holder of group " + env.group + "; holders are never updated");
    env.awaitAttached();
  }

  /** Posts a notification as Watchtower does; its answer, which must be a 200. */
  private static JsonNode deliver(String contentType, String body) {
    HoldfastClient.Response r =
        env.holdfast.hook("/hooks/watchtower?token=" + env.holdfast.hookSecret, contentType, body);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    return r.body();
  }

  private static long succeededUpdates(List<JsonNode> runs) {
    return runs.stream()
        .filter(
            run ->
                run.path("state").asText().equals("succeeded")
                    && run.path("kind").asText().equals("update"))
        .count();
  }

  @Test
  void aMonitorOnlyStaleReportUpdatesTheGroupSafely() {
    String holderId = env.engine.id(env.holder);
    env.registry.publish("holdfast-test/app:v2", "hf/app:live");

    HoldfastClient.Response r =
        env.holdfast.hook(
            "/hooks/watchtower?token=" + env.holdfast.hookSecret,
            "application/json",
            staleReport());

    assertThat(r.status()).isEqualTo(200);
    JsonNode notices = r.body().path("notices");
    assertThat(notices.toString()).contains("\"outcome\":\"updating\"");
    env.awaitRuns("the update succeeded", runs -> succeededUpdates(runs) > 0);
    assertThat(env.served()).isEqualTo("v2");
    assertThat(env.engine.id(env.holder)).isEqualTo(holderId);
    assertThat(env.holdfast.attached(env.group, 2)).isTrue();
  }

  @Test
  void aHolderRecreatedByWatchtowerIsHealed() {
    env.recreateHolder();
    String body =
        "Stopping /" + env.holder + " (0123456789ab) with SIGTERM\nCreating /" + env.holder + "\n";

    assertThat(deliver("text/plain", body).toString()).contains("heal");
    env.awaitAttached();
  }
}
