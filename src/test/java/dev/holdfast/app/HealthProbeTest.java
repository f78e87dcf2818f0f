package dev.holdfast.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The image's HEALTHCHECK against a real HTTP server on loopback. */
class HealthProbeTest {

  private static HttpServer server(int status) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.createContext(
        "/healthz",
        x -> {
          x.sendResponseHeaders(status, -1);
          x.close();
        });
    s.start();
    return s;
  }

  @Test
  void healthyWhenHealthzAnswers200OnTheListenPortEvenWhenListeningEverywhere() throws Exception {
    HttpServer s = server(200);
    try {
      int port = s.getAddress().getPort();
      assertThat(HealthProbe.check(Map.of("HOLDFAST_LISTEN", "127.0.0.1:" + port))).isZero();
      assertThat(HealthProbe.check(Map.of("HOLDFAST_LISTEN", "0.0.0.0:" + port))).isZero();
      assertThat(HealthProbe.check(Map.of("HOLDFAST_LISTEN", ":" + port))).isZero();
    } finally {
      s.stop(0);
    }
  }

  @Test
  void unhealthyOnAnotherStatusNothingListeningOrABadSetting() throws Exception {
    HttpServer s = server(503);
    int port = s.getAddress().getPort();
    try {
      assertThat(HealthProbe.check(Map.of("HOLDFAST_LISTEN", "127.0.0.1:" + port))).isEqualTo(1);
    } finally {
      s.stop(0);
    }
    assertThat(HealthProbe.check(Map.of("HOLDFAST_LISTEN", "127.0.0.1:" + port))).isEqualTo(1);
    assertThat(HealthProbe.check(Map.of("HOLDFAST_LISTEN", "nonsense"))).isEqualTo(1);
  }
}
