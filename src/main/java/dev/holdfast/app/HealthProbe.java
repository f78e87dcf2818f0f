package dev.holdfast.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Map;

/**
 * The image's HEALTHCHECK: asks this holdfast's {@code /healthz} on the port it listens on and
 * exits 0 when it answers 200. A main of its own (not the picocli command line) so that a check
 * every 30 s starts in a fraction of a second with a few MiB of heap, and needs no shell or curl in
 * the image.
 */
public final class HealthProbe {

  private HealthProbe() {}

  public static void main(String[] args) {
    System.exit(check(System.getenv()));
  }

  /** 0 when healthy, 1 otherwise (the HEALTHCHECK convention); says why on stderr. */
  static int check(Map<String, String> env) {
    Config.Listen listen;
    try {
      listen = Settings.LISTEN.read(env);
    } catch (RuntimeException e) {
      System.err.println("holdfast health: " + e.getMessage());
      return 1;
    }
    // a service listening on every address is asked on loopback
    String host =
        listen.host().equals("0.0.0.0") || listen.host().equals("::") ? "127.0.0.1" : listen.host();
    String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + listen.port();
    try {
      HttpURLConnection c =
          (HttpURLConnection) URI.create(url + "/healthz").toURL().openConnection();
      c.setConnectTimeout(2000);
      c.setReadTimeout(3000);
      int status = c.getResponseCode();
      try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
        if (in != null) {
          in.readAllBytes();
        }
      }
      if (status == 200) {
        return 0;
      }
      System.err.println("holdfast health: " + url + "/healthz answered " + status);
      return 1;
    } catch (IOException e) {
      System.err.println("holdfast health: " + url + "/healthz: " + e.getMessage());
      return 1;
    }
  }
}
