package dev.holdfast.plan.planted;

/** Planted for ArchitectureTest: breaks exactly one rule, so the test can show the rule bites. */
public final class PlanReadsFiles {

  private PlanReadsFiles() {}

  static boolean exists(String file) {
    return java.nio.file.Files.exists(java.nio.file.Path.of(file));
  }
}
