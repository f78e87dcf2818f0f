package dev.holdfast.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.trigger.HookReading;
import dev.holdfast.trigger.ImagePush;
import dev.holdfast.trigger.MalformedHookException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * The registry fixtures under {@code fixtures/registry/}: {@code <name>.json} is a body as the
 * sender writes it (exact bytes, signatures cover them), {@code <name>.headers.txt} its headers as
 * {@code Name: value} lines ('#' lines and the request line are skipped). The {@code
 * captured-distribution-2.8.2-*} bodies share one headers file.
 */
final class Fixtures {

  static final String DIR = "/fixtures/registry/";
  static final String SECRET = "s3cret";
  static final String CAPTURED = "captured-distribution-2.8.2";

  private Fixtures() {}

  static byte[] body(String name) {
    return bytes(name + ".json");
  }

  static Headers headers(String name) {
    String file = (name.startsWith(CAPTURED) ? CAPTURED : name) + ".headers.txt";
    if (Fixtures.class.getResource(DIR + file) == null) {
      return Headers.empty();
    }
    List<String> pairs = new ArrayList<>();
    for (String line : new String(bytes(file), StandardCharsets.UTF_8).split("\n")) {
      int colon = line.indexOf(": ");
      if (line.startsWith("#") || colon <= 0 || line.substring(0, colon).contains(" ")) {
        continue;
      }
      pairs.add(line.substring(0, colon));
      pairs.add(line.substring(colon + 2));
    }
    return Headers.of(pairs.toArray(String[]::new));
  }

  /** The '# name: value' comment lines of a headers file, e.g. the captured digest. */
  static String comment(String headersFile, String key) {
    String prefix = "# " + key + ": ";
    return Stream.of(new String(bytes(headersFile), StandardCharsets.UTF_8).split("\n"))
        .filter(line -> line.startsWith(prefix))
        .map(line -> line.substring(prefix.length()).trim())
        .findFirst()
        .orElseThrow(() -> new AssertionError(headersFile + " has no '" + prefix + "' line"));
  }

  /** Every fixture body's name (without .json), sorted. */
  static List<String> names() {
    return fixtures(DIR, ".json").stream()
        .map(file -> file.substring(0, file.length() - ".json".length()))
        .sorted()
        .toList();
  }

  /** Fixture files of a resource directory ending in {@code suffix}, by name, sorted. */
  static List<String> fixtures(String dir, String suffix) {
    try (Stream<Path> files = Files.list(Path.of(Fixtures.class.getResource(dir).toURI()))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(suffix) && !n.endsWith(".md") && !n.endsWith(".headers.txt"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The sender a fixture comes from, by its name's first word. */
  static RegistryKind kindOf(String name) {
    String kind = name.startsWith("captured-") ? "distribution" : name.split("-", 2)[0];
    return RegistryKind.parse(kind);
  }

  static HookReading read(String name) {
    return read(name, Map.of());
  }

  static HookReading read(String name, Map<RegistryKind, String> hosts) {
    return new RegistryHooks(hosts).read(kindOf(name), headers(name), body(name));
  }

  /** "source image digest deliveryId" ('-' for empty): one line shows every field of a push. */
  static String line(ImagePush push) {
    return String.join(
        " ",
        push.source(),
        push.image().toString(),
        push.digest().isEmpty() ? "-" : push.digest(),
        push.deliveryId().isEmpty() ? "-" : push.deliveryId());
  }

  static List<String> lines(HookReading reading) {
    return reading.pushes().stream().map(Fixtures::line).toList();
  }

  /** A delivery of {@code kind} with no headers, read. */
  static HookReading readBody(RegistryKind kind, String body) {
    return readBody(kind, Headers.empty(), body);
  }

  static HookReading readBody(RegistryKind kind, Headers headers, String body) {
    return new RegistryHooks().read(kind, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  /** The reading has exactly these pushes (as {@link #line} shows them) and ignored nothing. */
  static void assertPushes(HookReading reading, String... lines) {
    assertThat(lines(reading)).containsExactly(lines);
    assertThat(reading.ignored()).isEmpty();
  }

  /** The reading has no push and ignored exactly this (in order). */
  static void assertIgnored(HookReading reading, String... why) {
    assertThat(reading.pushes()).isEmpty();
    assertThat(reading.ignored()).containsExactly(why);
  }

  /** Reading the delivery fails as malformed, with this message. */
  static void assertMalformed(ThrowingCallable read, String message) {
    assertThatThrownBy(read).isInstanceOf(MalformedHookException.class).hasMessage(message);
  }

  private static byte[] bytes(String file) {
    try (InputStream in = Fixtures.class.getResourceAsStream(DIR + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
