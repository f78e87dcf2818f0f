package dev.holdfast.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The load generator's own HTTP/1.1 client reads answers as a server sends them: with a
 * Content-Length, chunked, empty, and closing the connection; one connection carries request after
 * request (keep-alive) and is opened again after the server closed it.
 */
class HookLoadTest {

  private HttpServer server;

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        x -> {
          byte[] in = x.getRequestBody().readAllBytes();
          byte[] out =
              ("got " + in.length + " " + x.getRequestURI()).getBytes(StandardCharsets.UTF_8);
          switch (x.getRequestURI().getPath()) {
            case "/chunked" -> {
              x.sendResponseHeaders(202, 0);
              x.getResponseBody().write(out);
            }
            case "/empty" -> x.sendResponseHeaders(204, -1);
            case "/close" -> {
              x.getResponseHeaders().set("Connection", "close");
              x.sendResponseHeaders(500, out.length);
              x.getResponseBody().write(out);
            }
            default -> {
              x.sendResponseHeaders(200, out.length);
              x.getResponseBody().write(out);
            }
          }
          x.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private byte[] request(String path, String body) {
    return ("POST "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
            + body.length()
            + "\r\n\r\n"
            + body)
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String text(HookLoad.Answer a) {
    return a.status() + " " + new String(a.body(), StandardCharsets.UTF_8);
  }

  @Test
  void readsLengthChunkedAndEmptyAnswersOverOneKeptAliveConnection() throws IOException {
    try (HookLoad.SocketClient c =
        new HookLoad.SocketClient("127.0.0.1", server.getAddress().getPort())) {
      assertThat(text(c.send(request("/fixed", "abc")))).isEqualTo("200 got 3 /fixed");
      assertThat(text(c.send(request("/chunked?x=1", "hello"))))
          .isEqualTo("202 got 5 /chunked?x=1");
      assertThat(text(c.send(request("/empty", "")))).isEqualTo("204 ");
      assertThat(text(c.send(request("/fixed", "{\"a\":1}")))).isEqualTo("200 got 7 /fixed");
    }
  }

  @Test
  void opensTheConnectionAgainAfterTheServerClosedIt() throws IOException {
    try (HookLoad.SocketClient c =
        new HookLoad.SocketClient("127.0.0.1", server.getAddress().getPort())) {
      assertThat(text(c.send(request("/close", "x")))).isEqualTo("500 got 1 /close");
      assertThat(text(c.send(request("/fixed", "yz")))).isEqualTo("200 got 2 /fixed");
    }
  }
}
