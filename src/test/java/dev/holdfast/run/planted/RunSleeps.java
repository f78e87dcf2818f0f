package dev.holdfast.run.planted;

/** Planted for ArchitectureTest: breaks exactly one rule, so the test can show the rule bites. */
public final class RunSleeps {

  private RunSleeps() {}

  static void nap() throws InterruptedException {
    Thread.sleep(1);
  }
}
