package dev.holdfast.docker.auth;

import java.util.Locale;

/**
 * Registry host names the way the engine and the Docker CLI resolve them: an image's host is its
 * first path component when that has a dot or a port or is {@code localhost}, else Docker Hub; the
 * keys of a {@code config.json} may carry a scheme and a path ({@code https://index.docker.io/v1/})
 * and are matched by host.
 */
public final class RegistryHosts {

  /** Docker Hub, as holdfast names it. */
  public static final String DOCKER_HUB = "docker.io";

  /** Docker Hub's key in {@code config.json} and its helpers' server URL. */
  static final String DOCKER_HUB_SERVER = "https://index.docker.io/v1/";

  private RegistryHosts() {}

  /** The registry host of an image reference: {@code 127.0.0.1:5000}, {@code docker.io}. */
  public static String ofImage(String ref) {
    String rest = ref;
    int at = rest.indexOf('@');
    if (at >= 0) {
      rest = rest.substring(0, at);
    }
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String head = rest.substring(0, slash);
      if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
        return normalize(head);
      }
    }
    return DOCKER_HUB;
  }

  /**
   * A host as written in settings or a {@code config.json} key, normalized: no scheme, no path,
   * lower case; every name of Docker Hub is {@code docker.io}.
   */
  public static String normalize(String key) {
    String h = key.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("https://")) {
      h = h.substring(8);
    } else if (h.startsWith("http://")) {
      h = h.substring(7);
    }
    int slash = h.indexOf('/');
    if (slash >= 0) {
      h = h.substring(0, slash);
    }
    if (h.equals("index.docker.io")
        || h.equals("registry-1.docker.io")
        || h.equals("registry.hub.docker.com")) {
      return DOCKER_HUB;
    }
    return h;
  }

  /** The server address the engine and credential helpers expect for a host. */
  public static String serverAddress(String host) {
    return host.equals(DOCKER_HUB) ? DOCKER_HUB_SERVER : host;
  }
}
