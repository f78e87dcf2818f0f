package dev.holdfast.docker;

/**
 * Chooses the Engine API version to speak: the engine's own, capped at the newest this adapter was
 * written for. Never a fixed old version: Docker 29 refuses clients below API 1.44.
 */
final class ApiVersion {

  /** The newest API whose request and answer shapes this adapter was checked against. */
  static final String NEWEST_KNOWN = "1.47";

  private ApiVersion() {}

  /**
   * @param engineVersion the engine's ApiVersion from {@code GET /version}
   * @param engineMinimum the engine's MinAPIVersion
   */
  static String choose(String engineVersion, String engineMinimum) {
    String chosen = compare(engineVersion, NEWEST_KNOWN) <= 0 ? engineVersion : NEWEST_KNOWN;
    if (engineMinimum != null && !engineMinimum.isEmpty() && compare(chosen, engineMinimum) < 0) {
      // an engine whose minimum is above what we know: speak its minimum rather than fail
      return engineMinimum;
    }
    return chosen;
  }

  static int compare(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int p = i < x.length ? Integer.parseInt(x[i]) : 0;
      int q = i < y.length ? Integer.parseInt(y[i]) : 0;
      if (p != q) {
        return Integer.compare(p, q);
      }
    }
    return 0;
  }
}
