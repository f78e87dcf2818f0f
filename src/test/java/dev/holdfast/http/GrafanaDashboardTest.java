package dev.holdfast.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.dispatch.UpdateSessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The dashboard in examples/grafana reads only metrics holdfast exports. */
class GrafanaDashboardTest {

  private static final Path DASHBOARD = Path.of("examples", "grafana", "holdfast-dashboard.json");

  /** Metric names in a PromQL expression: holdfast's and the Watchtower-compatible families. */
  private static final Pattern METRIC = Pattern.compile("\\b((?:holdfast|watchtower)_[a-z0-9_]+)");

  @Test
  void everyPanelQueriesAnExportedMetric() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    Metrics metrics = new Metrics();
    metrics.ended(MetricsTest.update());
    metrics.hook("distribution", "acted");
    metrics.session(
        new UpdateSessions.Summary(
            1, 1, 0, 0, 0, 0, List.of(), MetricsTest.T0, java.time.Duration.ofSeconds(1)));
    String scrape = metrics.scrape();

    List<String> names = new ArrayList<>();
    assertThat(dashboard.path("panels")).isNotEmpty();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        Matcher m = METRIC.matcher(target.path("expr").asText());
        boolean any = false;
        while (m.find()) {
          names.add(m.group(1));
          any = true;
        }
        assertThat(any).as("a query of " + panel.path("title").asText()).isTrue();
      }
    }
    for (String name : names) {
      assertThat(scrape).as("exported: " + name).containsPattern("(?m)^" + name + "[{ ]");
    }
  }
}
