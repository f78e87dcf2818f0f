package dev.holdfast.run.planted;

/** Planted for ArchitectureTest: breaks exactly one rule, so the test can show the rule bites. */
public final class RunOpensJdbc {

  private RunOpensJdbc() {}

  static Class<?> connection() {
    return java.sql.Connection.class;
  }
}
