package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.testing.Docker;
import dev.holdfast.testing.RealEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three holdfast instances on one engine (scopes a and b, and one without a scope) manage disjoint
 * groups: each lists only its own, and a holder replaced out of band is healed by its instance
 * alone. The groups have no network but their namespaces: nothing here sends traffic.
 */
@ExtendWith(RealEngine.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScopeIT {

  private static final Docker DOCKER = Docker.local();
  private static final String SESSION = "scope-" + UUID.randomUUID().toString().substring(0, 6);
  private static final String A = "hfit-" + SESSION + "-a";
  private static final String B = "hfit-" + SESSION + "-b";
  private static final String N = "hfit-" + SESSION + "-n";

  private static Path tmp;
  private static Holdfast scopeA;
  private static Holdfast scopeB;
  private static Holdfast unscoped;

  @BeforeAll
  static void up() throws IOException {
    tmp = Files.createTempDirectory(SESSION);
    group(A, "a");
    group(B, "b");
    group(N, null);
    scopeA = Holdfast.start(tmp.resolve("a"), DOCKER.host(), Map.of("HOLDFAST_SCOPE", "a"));
    scopeB = Holdfast.start(tmp.resolve("b"), DOCKER.host(), Map.of("HOLDFAST_SCOPE", "b"));
    unscoped = Holdfast.start(tmp.resolve("n"), DOCKER.host());
  }

  @AfterAll
  static void down() {
    for (Holdfast h : new Holdfast[] {scopeA, scopeB, unscoped}) {
      if (h != null) {
        h.close();
      }
    }
    DOCKER.removeSession(SESSION);
    if (tmp != null) {
      SeedGroup.deleteTree(tmp);
    }
  }

  /** A holder {@code name} and its app {@code name-app}, both labelled with the scope (if any). */
  private static void group(String name, String scope) {
    holder(name, scope);
    DOCKER.runLabelled(
        SESSION,
        withScope(
            scope,
            "--name",
            name + "-app",
            "--network",
            "container:" + name,
            "--restart",
            "unless-stopped",
            "holdfast-test/app:v1"));
  }

  private static void holder(String name, String scope) {
    DOCKER.runLabelled(
        SESSION,
        withScope(
            scope,
            "--name",
            name,
            "--network",
            "none",
            "--restart",
            "always",
            "holdfast-test/holder:1"));
  }

  private static java.util.List<String> withScope(String scope, String... args) {
    java.util.List<String> out = new java.util.ArrayList<>();
    if (scope != null) {
      out.addAll(java.util.List.of("--label", "holdfast.scope=" + scope));
    }
    out.addAll(java.util.List.of(args));
    return out;
  }

  @Test
  @Order(1)
  void eachInstanceListsOnlyItsScopesGroups() {
    assertThat(scopeA.groupNames()).containsExactly(A);
    assertThat(scopeB.groupNames()).containsExactly(B);
    assertThat(unscoped.groupNames()).contains(N).doesNotContain(A, B);
  }

  @Test
  @Order(2)
  void aReplacedHolderIsHealedByItsOwnInstanceAlone() {
    DOCKER.ok("rm", "-f", A);
    holder(A, "a");
    String holder = DOCKER.id(A);

    await("the app of " + A + " joins its new holder")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                DOCKER
                    .inspect(A + "-app")
                    .map(c -> Docker.networkMode(c).equals("container:" + holder))
                    .orElse(false));
    await("scope a records its heal")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !scopeA.runs(A).isEmpty());
    assertThat(scopeA.runs(A)).allMatch(r -> r.path("kind").asText().equals("heal"));
    assertThat(scopeB.runs(A)).as("scope b never touches a's group").isEmpty();
    assertThat(unscoped.runs(A)).as("no scope never touches a scoped group").isEmpty();
    assertThat(scopeB.groupNames()).containsExactly(B);
  }
}
