package dev.holdfast.hook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.trigger.HookReading;
import dev.holdfast.trigger.MalformedHookException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated deliveries (seeded, bounded): a reader either understands a body or calls it
 * malformed (a 400); nothing else may escape, since anything else would be a 5xx to the sender.
 */
class HookFuzzTest {

  static final List<String> REGISTRY = Fixtures.fixtures("/fixtures/registry/", ".json");
  static final List<String> WATCHTOWER = Fixtures.fixtures("/fixtures/watchtower/", "");

  static byte[] resource(String path) {
    try (var in = HookFuzzTest.class.getResourceAsStream(path)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Applies a few random edits: flips, cuts, duplications, JSON-ish insertions, truncation. */
  public static byte[] mutate(byte[] body, long seed) {
    Random r = new Random(seed);
    byte[] b = body.clone();
    int edits = 1 + r.nextInt(6);
    String[] tokens = {
      "null",
      "{}",
      "[]",
      "\"\"",
      "0",
      "-1e999",
      "\"sha256:\"",
      "\"a:b:c\"",
      "{\"events\":null}",
      "\"push\"",
      "\"\\u0000\"",
      "[[[[[[[[",
      "}}}}",
      "\"tag\":\"x\"",
      "true"
    };
    for (int i = 0; i < edits && b.length > 0; i++) {
      int at = r.nextInt(b.length);
      switch (r.nextInt(5)) {
        case 0 -> b[at] = (byte) r.nextInt(256);
        case 1 -> {
          int len = Math.min(b.length - at, 1 + r.nextInt(64));
          byte[] out = new byte[b.length - len];
          System.arraycopy(b, 0, out, 0, at);
          System.arraycopy(b, at + len, out, at, b.length - at - len);
          b = out;
        }
        case 2 -> {
          int len = Math.min(b.length - at, 1 + r.nextInt(64));
          byte[] out = new byte[b.length + len];
          System.arraycopy(b, 0, out, 0, at + len);
          System.arraycopy(b, at, out, at + len, b.length - at);
          b = out;
        }
        case 3 -> {
          byte[] t = tokens[r.nextInt(tokens.length)].getBytes();
          byte[] out = new byte[b.length + t.length];
          System.arraycopy(b, 0, out, 0, at);
          System.arraycopy(t, 0, out, at, t.length);
          System.arraycopy(b, at, out, at + t.length, b.length - at);
          b = out;
        }
        default -> b = java.util.Arrays.copyOf(b, at);
      }
    }
    return b;
  }

  /** Fixed seed: a failure replays exactly; each test is bounded in count. */
  private final Random random = new Random(20261128L);

  private static void readsOrRefuses(RegistryKind kind, Headers headers, byte[] body) {
    try {
      HookReading r = new RegistryHooks().read(kind, headers, body);
      assertThat(r.kind()).isNotNull();
    } catch (MalformedHookException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Test
  void mutatedRegistryDeliveriesAreReadOrRefusedByEveryReader() {
    for (int i = 0; i < 400; i++) {
      String fixture = REGISTRY.get(random.nextInt(REGISTRY.size()));
      String name = fixture.substring(0, fixture.length() - ".json".length());
      byte[] body = mutate(Fixtures.body(name), random.nextLong());
      Headers headers = Fixtures.headers(name);
      for (RegistryKind kind : RegistryKind.values()) {
        readsOrRefuses(kind, headers, body);
      }
      try {
        new RegistryHooks().detect(headers, body);
      } catch (MalformedHookException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
    }
  }

  @Test
  void randomBytesAreReadOrRefusedByEveryReader() {
    for (int i = 0; i < 300; i++) {
      byte[] body = new byte[random.nextInt(4096)];
      random.nextBytes(body);
      for (RegistryKind kind : RegistryKind.values()) {
        readsOrRefuses(kind, Headers.empty(), body);
      }
    }
  }

  @Test
  void mutatedWatchtowerNotificationsAreReadOrRefused() {
    for (int i = 0; i < 400; i++) {
      String fixture = WATCHTOWER.get(random.nextInt(WATCHTOWER.size()));
      byte[] body = mutate(resource("/fixtures/watchtower/" + fixture), random.nextLong());
      try {
        assertThat(new WatchtowerHooks().read("application/json", body)).isNotNull();
      } catch (MalformedHookException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
    }
  }

  @Test
  void randomTextIsReadOrRefusedAsAWatchtowerNotification() {
    for (int i = 0; i < 300; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(2048);
      for (int c = 0; c < length; c++) {
        text.appendCodePoint(
            random.nextInt(4) == 0 ? random.nextInt(0x2FFF) : 32 + random.nextInt(95));
      }
      try {
        assertThat(new WatchtowerHooks().read("text/plain", text.toString().getBytes()))
            .isNotNull();
      } catch (MalformedHookException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
    }
  }
}
