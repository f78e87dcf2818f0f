package dev.holdfast.run.planted;

/** Planted for ArchitectureTest: breaks exactly one rule, so the test can show the rule bites. */
public final class RunRetriesItself {

  private RunRetriesItself() {}

  static Class<?> retry() {
    return io.github.resilience4j.retry.Retry.class;
  }
}
