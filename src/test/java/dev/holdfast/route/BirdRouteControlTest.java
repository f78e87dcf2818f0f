package dev.holdfast.route;

import static dev.holdfast.testing.Containers.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.ExecResult;
import dev.holdfast.plan.RouteSpec;
import dev.holdfast.testing.FakeEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** BIRD route control against birdc answers recorded from BIRD 2.0.12 (fixtures/bird). */
class BirdRouteControlTest {

  private final FakeEngine engine = new FakeEngine();
  private final BirdRouteControl bird = new BirdRouteControl(engine, d -> {});
  private final ContainerView router = engine.run(container("bird").build());
  private final Map<String, String> answers = new HashMap<>();
  private final RouteSpec spec =
      RouteSpec.of(
          "bird",
          Map.of(
              "holdfast.route", "bird",
              "holdfast.bird.protocols", "anycast4",
              "holdfast.bird.peers", "upstream"));

  BirdRouteControlTest() {
    engine.onExec(
        (name, argv) -> {
          String command = String.join(" ", argv.subList(4, argv.size()));
          String answer = answers.get(command);
          return answer == null
              ? new ExecResult(1, "no answer for " + command)
              : new ExecResult(0, answer);
        });
  }

  private static String fixture(String name) {
    try (InputStream in =
        BirdRouteControlTest.class.getResourceAsStream("/fixtures/bird/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void withdrawDisablesAndProvesTheRouteGoneFromThePeersExport() {
    answers.put("show route protocol anycast4", fixture("router-show-route.txt"));
    answers.put("disable anycast4", fixture("router-disable-anycast4-1.txt"));
    answers.put("show protocols", fixture("router-show-protocols-after-disable.txt"));
    answers.put(
        "show route export upstream",
        fixture("router-show-route-export-upstream-after-disable.txt"));

    bird.withdraw(router, spec);

    assertThat(engine.calls())
        .contains("exec bird birdc -v -s /run/bird/bird.ctl disable anycast4")
        .contains("exec bird birdc -v -s /run/bird/bird.ctl show route export upstream");
  }

  @Test
  void thePrefixesAreReadFromTheAnycastProtocolsRoutes() {
    answers.put("show route protocol anycast4", fixture("router-show-route.txt"));

    assertThat(bird.prefixes(router, spec))
        .containsExactly(dev.holdfast.site.Prefix.parse("192.0.2.53/32"));
  }

  @Test
  void aPrefixCountsExportedOnlyOnceEveryPeerSessionIsUpAndExportsIt() {
    List<dev.holdfast.site.Prefix> p = List.of(dev.holdfast.site.Prefix.parse("192.0.2.53/32"));
    answers.put("show protocols", fixture("router-show-protocols.txt"));
    answers.put("show route export upstream", fixture("router-show-route-export-upstream.txt"));
    assertThat(bird.notExported(router, spec, p)).isEmpty();

    answers.put(
        "show route export upstream",
        fixture("router-show-route-export-upstream-after-disable.txt"));
    assertThat(bird.notExported(router, spec, p))
        .hasValue("not exported yet: 192.0.2.53/32 to upstream");

    answers.put("show protocols", fixture("router-show-protocols-after-disable.txt"));
    assertThat(bird.notExported(router, spec, p))
        .hasValueSatisfying(why -> assertThat(why).contains("anycast4 is down"));
  }

  @Test
  void aWithdrawalThatCannotBeProvenFails() {
    answers.put("show route protocol anycast4", fixture("router-show-route.txt"));
    answers.put("disable anycast4", fixture("router-disable-anycast4-2.txt"));
    answers.put("show protocols", fixture("router-show-protocols-after-disable.txt"));
    answers.put("show route export upstream", fixture("router-show-route-export-upstream.txt"));

    assertThatThrownBy(() -> bird.withdraw(router, spec))
        .isInstanceOf(RouteException.class)
        .hasMessageContaining("not proven")
        .hasMessageContaining("192.0.2.53/32 to upstream");
  }

  @Test
  void announceEnablesAndConfirmsUp() {
    answers.put("enable anycast4", fixture("router-enable-anycast4-2.txt"));
    answers.put("show protocols", fixture("router-show-protocols.txt"));

    bird.announce(router, spec);

    assertThat(bird.announcing(router, spec)).contains(true);
  }

  @Test
  void aParseErrorIsAnErrorWhateverBirdcsExitStatus() {
    answers.put("show route protocol anycast4", fixture("router-show-route.txt"));
    answers.put("disable anycast4", fixture("router-disable-nosuch.txt"));

    assertThatThrownBy(() -> bird.withdraw(router, spec)).hasMessageContaining("9001 syntax error");
  }

  @Test
  void checkNamesProtocolsBirdDoesNotHave() {
    answers.put("show protocols", fixture("router-show-protocols.txt"));
    RouteSpec wrong =
        RouteSpec.of(
            "bird", Map.of("holdfast.route", "bird", "holdfast.bird.protocols", "anycast6"));

    assertThat(bird.check(router, wrong))
        .hasValueSatisfying(
            why -> assertThat(why).contains("BIRD has no protocol anycast6").contains("anycast4"));
    assertThat(bird.check(router, spec)).isEmpty();
  }

  @Test
  void missingBirdcAndMissingSocketsSaySo() {
    engine.onExec(
        (name, argv) -> new ExecResult(127, "exec: \"birdc\": executable file not found in $PATH"));
    assertThat(bird.check(router, spec))
        .hasValueSatisfying(why -> assertThat(why).contains("birdc is not in the router's image"));

    engine.onExec(
        (name, argv) ->
            new ExecResult(
                1,
                "Unable to connect to server control socket ("
                    + argv.get(3)
                    + "): No such file or directory\n"));
    assertThat(bird.check(router, spec))
        .hasValueSatisfying(
            why -> assertThat(why).contains("/run/bird/bird.ctl or /var/run/bird.ctl"));
  }

  @Test
  void theFallbackSocketIsTriedWhenTheDefaultIsAbsent() {
    engine.onExec(
        (name, argv) ->
            argv.get(3).equals("/var/run/bird.ctl")
                ? new ExecResult(0, fixture("router-show-protocols.txt"))
                : new ExecResult(
                    1, "Unable to connect to server control socket (/run/bird/bird.ctl)\n"));

    assertThat(bird.check(router, spec)).isEmpty();
    assertThat(List.copyOf(engine.calls()))
        .anyMatch(c -> c.contains("-s /var/run/bird.ctl show protocols"));
  }
}
