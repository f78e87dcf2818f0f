package dev.holdfast.trigger.planted;

/** Planted for ArchitectureTest: breaks exactly one rule, so the test can show the rule bites. */
public final class TriggerUsesHttp {

  private TriggerUsesHttp() {}

  static Class<?> edge() {
    return dev.holdfast.http.HttpApi.class;
  }
}
