package dev.holdfast.engine.planted;

/** Planted for ArchitectureTest: breaks exactly one rule, so the test can show the rule bites. */
public final class EngineUsesTheRun {

  private EngineUsesTheRun() {}

  static dev.holdfast.run.RunState state() {
    return dev.holdfast.run.RunState.QUEUED;
  }
}
