package dev.holdfast.run.planted;

/** Planted for ArchitectureTest: breaks exactly one rule, so the test can show the rule bites. */
public final class RunUsesJavalin {

  private RunUsesJavalin() {}

  static Class<?> context() {
    return io.javalin.http.Context.class;
  }
}
