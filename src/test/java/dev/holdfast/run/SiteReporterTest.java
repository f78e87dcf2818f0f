package dev.holdfast.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.ExecResult;
import dev.holdfast.group.Group;
import dev.holdfast.group.Labels;
import dev.holdfast.site.Prefix;
import dev.holdfast.site.Site;
import dev.holdfast.site.SiteState;
import dev.holdfast.testing.Containers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A site counts as announcing only once its router proves the export: a group whose app is back but
 * whose BGP session is not up again is away for the other sites (they would otherwise withdraw on
 * its strength and leave the prefix with no route). BIRD's answers are recorded from BIRD 2.0.12
 * (fixtures/bird).
 */
class SiteReporterTest {

  private static final Prefix P = Prefix.parse("192.0.2.53/32");

  private final RunnerFixture f = new RunnerFixture();
  private final Map<String, String> answers = new HashMap<>();

  SiteReporterTest() {
    f.fake.remove("seed-router");
    f.fake.run(
        Containers.container("seed-router")
            .in(f.holder.id())
            .label(Labels.ROLE, "router")
            .label(Labels.ROUTE, "bird")
            .label(Labels.BIRD_PROTOCOLS, "anycast4")
            .label(Labels.BIRD_PEERS, "upstream")
            .image("reg.test/bird:2", RunnerFixture.BIRD.id())
            .build());
    f.fake.onExec(
        (name, argv) -> {
          String answer = answers.get(String.join(" ", argv.subList(4, argv.size())));
          return answer == null ? new ExecResult(1, "no answer") : new ExecResult(0, answer);
        });
    answers.put("show route protocol anycast4", fixture("router-show-route.txt"));
  }

  private static String fixture(String name) {
    try (InputStream in = SiteReporterTest.class.getResourceAsStream("/fixtures/bird/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private SiteState reported() {
    Group g = f.groups.groups().stream().filter(x -> x.name().equals("seed")).findFirst().get();
    assertThat(f.graph.siteReporter.report(g)).containsExactly(P);
    String site = f.graph.siteReporter.siteOf("seed");
    return f.graph.sites.view().get(P).stream()
        .filter(s -> s.id().equals(site))
        .map(Site::state)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aWholeGroupWhosePeerSessionIsDownCountsAwayUntilItExportsAgain() {
    // the router's own table, its session in the state the peer's fixture recorded after a restart
    answers.put(
        "show protocols",
        fixture("router-show-protocols.txt")
            .replace(
                "up     08:41:36.822  Established   ",
                "start  08:41:44.155  Active        Received: Administrative shutdown"));
    assertThat(reported()).isEqualTo(SiteState.WITHDRAWN);
    assertThat(f.graph.siteReporter.current("seed")).isEqualTo(SiteState.WITHDRAWN);

    answers.put("show protocols", fixture("router-show-protocols.txt"));
    answers.put("show route export upstream", fixture("router-show-route-export-upstream.txt"));
    assertThat(reported()).isEqualTo(SiteState.ANNOUNCING);
    assertThat(f.graph.siteReporter.current("seed")).isEqualTo(SiteState.ANNOUNCING);
  }

  @Test
  void aRouterThatCannotBeAskedProvesNothing() {
    answers.put("show protocols", fixture("router-show-protocols.txt"));
    answers.put("show route export upstream", fixture("router-show-route-export-upstream.txt"));
    assertThat(reported()).isEqualTo(SiteState.ANNOUNCING);

    answers.remove("show protocols"); // birdc fails: BIRD restarting, its socket not there yet
    assertThat(reported()).isEqualTo(SiteState.WITHDRAWN);
  }
}
