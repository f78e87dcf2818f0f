package dev.holdfast.docker;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the Engine API version to speak: the engine's own, capped at the newest this adapter was
 * written for. Never a fixed old version: Docker 29 refuses clients below API 1.44.
 */
final class ApiVersion {

  private static final Logger log = LoggerFactory.getLogger(ApiVersion.class);

  /**
   * The newest API whose request and answer shapes this adapter was checked against. Not raised to
   * the 1.51 of sid's Docker 28.5.2: the contract ITs speak this version to that engine too, so
   * nothing has yet checked the create body and the inspect, image and event answers at 1.48 to
   * 1.51. Both 28.5.2 and Docker 29 (minimum 1.44) accept 1.47.
   */
  static final String NEWEST_KNOWN = "1.47";

  private ApiVersion() {}

  /**
   * @param engineVersion the engine's ApiVersion from {@code GET /version}
   * @param engineMinimum the engine's MinAPIVersion
   */
  static String choose(String engineVersion, String engineMinimum) {
    Number newest = Number.read(NEWEST_KNOWN).orElseThrow();
    Optional<Number> engine = Number.read(engineVersion);
    Number chosen;
    if (engine.isEmpty()) {
      // not an old fixed version, which Docker 29 refuses below 1.44: the newest known, which
      // Docker 28 and 29 accept; an older engine refuses it by name ("too new"), not silently
      log.warn(
          "the engine reports API version \"{}\", which is not a version; speaking {}",
          engineVersion,
          NEWEST_KNOWN);
      chosen = newest;
    } else {
      chosen = engine.get().compareTo(newest) <= 0 ? engine.get() : newest;
    }
    Optional<Number> minimum = Number.read(engineMinimum);
    if (minimum.isPresent() && chosen.compareTo(minimum.get()) < 0) {
      // an engine whose minimum is above what we know: speak its minimum rather than fail
      chosen = minimum.get();
    }
    return chosen.toString();
  }

  /**
   * Compares two versions as numbers, 1.9 before 1.10.
   *
   * @throws IllegalArgumentException if either is not a version
   */
  static int compare(String a, String b) {
    return Number.read(a)
        .orElseThrow(() -> new IllegalArgumentException("not an API version: " + a))
        .compareTo(
            Number.read(b)
                .orElseThrow(() -> new IllegalArgumentException("not an API version: " + b)));
  }

  /** An API version as major and minor: the only parts the engine routes on ({@code /v1.47}). */
  private record Number(int major, int minor) implements Comparable<Number> {

    /**
     * Tolerant of what an engine build may report: surrounding space, a patch part ("1.52.0") and a
     * suffix ("1.51-rc"). Empty when there is no major.minor number to speak in a URL.
     */
    static Optional<Number> read(String version) {
      if (version == null) {
        return Optional.empty();
      }
      String[] parts = version.trim().split("\\.", -1);
      if (parts.length < 2) {
        return Optional.empty();
      }
      Optional<Integer> major = leadingDigits(parts[0]);
      Optional<Integer> minor = leadingDigits(parts[1]);
      if (major.isEmpty() || minor.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Number(major.get(), minor.get()));
    }

    private static Optional<Integer> leadingDigits(String part) {
      int end = 0;
      while (end < part.length() && end < 9 && isAsciiDigit(part.charAt(end))) {
        end++;
      }
      return end == 0 ? Optional.empty() : Optional.of(Integer.parseInt(part.substring(0, end)));
    }

    private static boolean isAsciiDigit(char c) {
      return c >= '0' && c <= '9';
    }

    @Override
    public int compareTo(Number o) {
      return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
      return major + "." + minor;
    }
  }
}
