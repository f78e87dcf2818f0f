package dev.holdfast;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layering, as a test. The pure core (group, health, plan, trigger) sees only the engine port's
 * values; adapters (docker, store, hook, api, cli) sit at the edges; only app wires everything.
 */
class ArchitectureTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.holdfast");

  @Test
  void layersDependOnlyDownwards() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .withOptionalLayers(true)
        .layer("engine")
        .definedBy("dev.holdfast.engine..")
        .layer("group")
        .definedBy("dev.holdfast.group..")
        .layer("health")
        .definedBy("dev.holdfast.health..")
        .layer("plan")
        .definedBy("dev.holdfast.plan..")
        .layer("route")
        .definedBy("dev.holdfast.route..")
        .layer("trigger")
        .definedBy("dev.holdfast.trigger..")
        .layer("hook")
        .definedBy("dev.holdfast.hook..")
        .layer("run")
        .definedBy("dev.holdfast.run..")
        .layer("docker")
        .definedBy("dev.holdfast.docker..")
        .layer("store")
        .definedBy("dev.holdfast.store..")
        .layer("api")
        .definedBy("dev.holdfast.api..")
        .layer("cli")
        .definedBy("dev.holdfast.cli..")
        .layer("app")
        .definedBy("dev.holdfast.app..")
        .whereLayer("app")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("api")
        .mayOnlyBeAccessedByLayers("app")
        .whereLayer("cli")
        .mayOnlyBeAccessedByLayers("app")
        .whereLayer("docker")
        .mayOnlyBeAccessedByLayers("app")
        .whereLayer("store")
        .mayOnlyBeAccessedByLayers("app")
        .whereLayer("run")
        .mayOnlyBeAccessedByLayers("api", "store", "app")
        .whereLayer("hook")
        .mayOnlyBeAccessedByLayers("api", "app")
        .whereLayer("trigger")
        .mayOnlyBeAccessedByLayers("hook", "run", "store", "api", "app")
        .whereLayer("route")
        .mayOnlyBeAccessedByLayers("run", "app")
        .whereLayer("plan")
        .mayOnlyBeAccessedByLayers("route", "run", "api", "app")
        .whereLayer("health")
        .mayOnlyBeAccessedByLayers("plan", "run", "app")
        .whereLayer("group")
        .mayOnlyBeAccessedByLayers("health", "plan", "trigger", "run", "store", "api", "app")
        .check(MAIN);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("dev.holdfast.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void onlyTheDockerAdapterSeesDockerJava() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.holdfast.docker..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.github.dockerjava..")
        .check(MAIN);
  }

  @Test
  void onlyApiAndAppSeeJavalin() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.holdfast.api..", "dev.holdfast.app..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.javalin..")
        .check(MAIN);
  }

  @Test
  void onlyRunSeesResilience4j() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.holdfast.run..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.github.resilience4j..")
        .check(MAIN);
  }

  @Test
  void thePureCoreSeesNoJacksonNorIo() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.holdfast.group..",
            "dev.holdfast.plan..",
            "dev.holdfast.health..",
            "dev.holdfast.trigger..",
            "dev.holdfast.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.fasterxml.jackson..", "java.net..", "java.nio.file..")
        .check(MAIN);
  }

  @Test
  void onlyAppExitsTheProcessAndOnlyEdgesReadTheEnvironment() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.holdfast.app..")
        .should()
        .callMethod(System.class, "exit", int.class)
        .check(MAIN);
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.holdfast.app..", "dev.holdfast.cli..")
        .should()
        .callMethod(System.class, "getenv")
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .check(MAIN);
  }

  @Test
  void nobodySleepsButTheSleeper() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("dev.holdfast.probe.Sleeper")
        .should()
        .callMethod(Thread.class, "sleep", long.class)
        .check(MAIN);
  }
}
