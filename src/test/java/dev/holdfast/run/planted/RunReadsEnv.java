package dev.holdfast.run.planted;

/** Planted for ArchitectureTest: breaks exactly one rule, so the test can show the rule bites. */
public final class RunReadsEnv {

  private RunReadsEnv() {}

  static String home() {
    return System.getenv("HOME");
  }
}
