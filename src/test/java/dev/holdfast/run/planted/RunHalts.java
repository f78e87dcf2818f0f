package dev.holdfast.run.planted;

/** Planted for ArchitectureTest: breaks exactly one rule, so the test can show the rule bites. */
public final class RunHalts {

  private RunHalts() {}

  static void halt() {
    Runtime.getRuntime().halt(1);
  }
}
