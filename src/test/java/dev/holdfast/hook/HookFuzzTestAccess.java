package dev.holdfast.hook;

import java.util.List;

/** The fuzz helpers of {@link HookFuzzTest}, for the HTTP-level fuzz test in another package. */
public final class HookFuzzTestAccess {

  private HookFuzzTestAccess() {}

  public static List<String> registryFixtures() {
    return HookFuzzTest.REGISTRY;
  }

  public static List<String> watchtowerFixtures() {
    return HookFuzzTest.WATCHTOWER;
  }

  public static byte[] mutate(byte[] body, long seed) {
    return HookFuzzTest.mutate(body, seed);
  }

  public static byte[] resource(String path) {
    return HookFuzzTest.resource(path);
  }
}
