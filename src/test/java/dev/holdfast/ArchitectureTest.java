package dev.holdfast;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The layering, as a test, and proof that each rule bites: every rule holds for the production
 * classes, and fails when the planted violations under {@code src/test/java/.../planted} (classes
 * that break exactly one rule each) are imported beside them.
 *
 * <p>From the bottom up: {@code engine} (the port and its values); {@code group} (discovery, pure);
 * {@code probe} (checks, gates, continuous probes); {@code plan} (planners, pure); {@code trigger}
 * and {@code hook} (what senders said, pure); {@code route} (strategies and the announce state);
 * {@code run} (plan, execute, roll back, recover, record); {@code dispatch} (what starts runs); the
 * adapters {@code docker}, {@code store}, {@code etcd}, {@code http}, {@code cli}; {@code app}
 * wires them.
 */
class ArchitectureTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.holdfast");

  /** Production classes plus the planted violations (and nothing else of the tests). */
  private static final JavaClasses PLANTED =
      new ClassFileImporter()
          .withImportOption(
              location -> !location.contains("/test-classes/") || location.contains("/planted/"))
          .importPackages("dev.holdfast");

  static final ArchRule LAYERS =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .withOptionalLayers(true)
          .layer("engine")
          .definedBy("dev.holdfast.engine..")
          .layer("group")
          .definedBy("dev.holdfast.group..")
          .layer("probe")
          .definedBy("dev.holdfast.probe..")
          .layer("site")
          .definedBy("dev.holdfast.site..")
          .layer("plan")
          .definedBy("dev.holdfast.plan..")
          .layer("trigger")
          .definedBy("dev.holdfast.trigger..")
          .layer("hook")
          .definedBy("dev.holdfast.hook..")
          .layer("route")
          .definedBy("dev.holdfast.route..")
          .layer("run")
          .definedBy("dev.holdfast.run..")
          .layer("dispatch")
          .definedBy("dev.holdfast.dispatch..")
          .layer("docker")
          .definedBy("dev.holdfast.docker..")
          .layer("inventory")
          .definedBy("dev.holdfast.inventory..")
          .layer("store")
          .definedBy("dev.holdfast.store..")
          .layer("etcd")
          .definedBy("dev.holdfast.etcd..")
          .layer("http")
          .definedBy("dev.holdfast.http..")
          .layer("cli")
          .definedBy("dev.holdfast.cli..")
          .layer("app")
          .definedBy("dev.holdfast.app..")
          .whereLayer("app")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("cli")
          .mayOnlyBeAccessedByLayers("app")
          .whereLayer("http")
          .mayOnlyBeAccessedByLayers("app")
          .whereLayer("store")
          .mayOnlyBeAccessedByLayers("app")
          .whereLayer("etcd")
          .mayOnlyBeAccessedByLayers("app")
          .whereLayer("docker")
          .mayOnlyBeAccessedByLayers("app")
          .whereLayer("inventory")
          .mayOnlyBeAccessedByLayers("app")
          .whereLayer("dispatch")
          .mayOnlyBeAccessedByLayers("http", "app")
          .whereLayer("hook")
          .mayOnlyBeAccessedByLayers("dispatch", "http", "app")
          .whereLayer("run")
          .mayOnlyBeAccessedByLayers("dispatch", "http", "store", "app")
          .whereLayer("route")
          .mayOnlyBeAccessedByLayers("run", "dispatch", "http", "store", "app")
          .whereLayer("trigger")
          .mayOnlyBeAccessedByLayers("hook", "run", "dispatch", "store", "http", "app")
          .whereLayer("plan")
          .mayOnlyBeAccessedByLayers("route", "run", "dispatch", "store", "http", "app")
          .whereLayer("site")
          .mayOnlyBeAccessedByLayers(
              "plan", "route", "run", "dispatch", "store", "etcd", "http", "app")
          .whereLayer("probe")
          .mayOnlyBeAccessedByLayers("plan", "route", "run", "dispatch", "http", "app")
          .whereLayer("group")
          .mayOnlyBeAccessedByLayers(
              "probe", "plan", "trigger", "route", "run", "dispatch", "store", "http", "app");

  static final ArchRule NO_CYCLES =
      slices().matching("dev.holdfast.(*)..").should().beFreeOfCycles();

  static final ArchRule ONLY_DOCKER_SEES_DOCKER_JAVA =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.holdfast.docker..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.github.dockerjava..");

  static final ArchRule ONLY_HTTP_AND_APP_SEE_JAVALIN =
      noClasses()
          .that()
          .resideOutsideOfPackages("dev.holdfast.http..", "dev.holdfast.app..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.javalin..");

  /** Retries and the circuit breaker wrap the engine; the rate limiter guards the HTTP edge. */
  static final ArchRule ONLY_DOCKER_AND_HTTP_SEE_RESILIENCE4J =
      noClasses()
          .that()
          .resideOutsideOfPackages("dev.holdfast.docker..", "dev.holdfast.http..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.github.resilience4j..");

  /** jetcd brings gRPC, Vert.x and netty; all of it stays behind the etcd adapter. */
  static final ArchRule ONLY_ETCD_SEES_JETCD =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.holdfast.etcd..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.etcd.jetcd..", "io.grpc..", "io.vertx..");

  static final ArchRule ONLY_STORE_SEES_SQL =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.holdfast.store..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("java.sql..", "org.sqlite..");

  static final ArchRule THE_PURE_CORE_SEES_NO_JACKSON_NOR_IO =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.holdfast.engine..",
              "dev.holdfast.group..",
              "dev.holdfast.probe..",
              "dev.holdfast.plan..",
              "dev.holdfast.site..",
              "dev.holdfast.trigger..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("com.fasterxml.jackson..", "java.net..", "java.nio.file..");

  static final ArchRule ONLY_APP_EXITS =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.holdfast.app..")
          .should()
          .callMethod(System.class, "exit", int.class)
          .orShould()
          .callMethod(Runtime.class, "halt", int.class);

  static final ArchRule ONLY_EDGES_READ_THE_ENVIRONMENT =
      noClasses()
          .that()
          .resideOutsideOfPackages("dev.holdfast.app..", "dev.holdfast.cli..")
          .should()
          .callMethod(System.class, "getenv")
          .orShould()
          .callMethod(System.class, "getenv", String.class);

  static final ArchRule NOBODY_SLEEPS_BUT_THE_SLEEPER =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName("dev.holdfast.probe.Sleeper")
          .should()
          .callMethod(Thread.class, "sleep", long.class);

  /** Each rule, and the planted class that breaks it. */
  static Stream<Arguments> rules() {
    return Map.ofEntries(
            Map.entry(LAYERS, "dev.holdfast.engine.planted.EngineUsesTheRun"),
            Map.entry(NO_CYCLES, "dev.holdfast.trigger.planted.TriggerUsesHttp"),
            Map.entry(ONLY_DOCKER_SEES_DOCKER_JAVA, "dev.holdfast.run.planted.RunUsesDockerJava"),
            Map.entry(ONLY_HTTP_AND_APP_SEE_JAVALIN, "dev.holdfast.run.planted.RunUsesJavalin"),
            Map.entry(
                ONLY_DOCKER_AND_HTTP_SEE_RESILIENCE4J, "dev.holdfast.run.planted.RunRetriesItself"),
            Map.entry(ONLY_STORE_SEES_SQL, "dev.holdfast.run.planted.RunOpensJdbc"),
            Map.entry(ONLY_ETCD_SEES_JETCD, "dev.holdfast.run.planted.RunUsesJetcd"),
            Map.entry(
                THE_PURE_CORE_SEES_NO_JACKSON_NOR_IO, "dev.holdfast.plan.planted.PlanReadsFiles"),
            Map.entry(ONLY_APP_EXITS, "dev.holdfast.run.planted.RunHalts"),
            Map.entry(ONLY_EDGES_READ_THE_ENVIRONMENT, "dev.holdfast.run.planted.RunReadsEnv"),
            Map.entry(NOBODY_SLEEPS_BUT_THE_SLEEPER, "dev.holdfast.run.planted.RunSleeps"))
        .entrySet()
        .stream()
        .map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("rules")
  void theProductionClassesKeepTheRule(ArchRule rule, String planted) {
    rule.check(MAIN);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("rules")
  void aPlantedViolationBreaksTheRule(ArchRule rule, String planted) {
    EvaluationResult result = rule.evaluate(PLANTED);

    assertThat(result.hasViolation()).as(rule.getDescription()).isTrue();
    assertThat(result.getFailureReport().getDetails())
        .as("violations of " + rule.getDescription())
        .anyMatch(d -> d.contains(planted));
  }

  @Test
  void everyPackageSaysWhatItIsFor() {
    assertThat(MAIN.getPackage("dev.holdfast").getSubpackages())
        .allSatisfy(
            p ->
                assertThat(p.tryGetPackageInfo().isPresent())
                    .as(p.getName() + " package-info")
                    .isTrue());
  }
}
