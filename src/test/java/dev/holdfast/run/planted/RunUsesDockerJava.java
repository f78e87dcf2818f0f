package dev.holdfast.run.planted;

/** Planted for ArchitectureTest: breaks exactly one rule, so the test can show the rule bites. */
public final class RunUsesDockerJava {

  private RunUsesDockerJava() {}

  static Class<?> client() {
    return com.github.dockerjava.api.DockerClient.class;
  }
}
