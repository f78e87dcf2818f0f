package dev.holdfast.run.planted;

/** Planted for ArchitectureTest: breaks exactly one rule, so the test can show the rule bites. */
public final class RunUsesJetcd {

  private RunUsesJetcd() {}

  static Class<?> client() {
    return io.etcd.jetcd.Client.class;
  }
}
