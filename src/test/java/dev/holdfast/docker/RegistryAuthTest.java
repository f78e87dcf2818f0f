package dev.holdfast.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.holdfast.docker.auth.CredentialHelpers;
import dev.holdfast.docker.auth.CredentialsException;
import dev.holdfast.docker.auth.RegistryCredentials;
import dev.holdfast.docker.auth.RegistryLogin;
import dev.holdfast.engine.EngineException;
import dev.holdfast.engine.ImageInfo;
import dev.holdfast.engine.TransientEngineException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The Docker adapter's side of private registries, against a stand-in engine on loopback that
 * answers as Docker 20.10 does (500 {@code no basic auth credentials} without a login, 500 or 401
 * {@code unauthorized: authentication required} with a wrong one): the login reaches the engine as
 * {@code X-Registry-Auth} and nowhere else, not in any log line at TRACE, not in any error.
 */
class RegistryAuthTest {

  private static final String REGISTRY = "reg.test:5000";
  private static final String REF = REGISTRY + "/hf/app:live";
  private static final String SECRET = "s3cret-PASSWORD-42";
  private static final String WRONG = "WRONG-pa55-99";
  private static final String IMAGE = "sha256:" + "1".repeat(64);
  private static final String DIGEST = "sha256:" + "d".repeat(64);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private HttpServer server;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<Optional<String>> headers = new CopyOnWriteArrayList<>();
  private volatile String streamed = "{\"status\":\"Pulling from hf/app\"}\n{\"status\":\"done\"}";
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private Level rootLevel;

  @BeforeEach
  void engine() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.start();
    rootLevel = root.getLevel();
    root.setLevel(Level.TRACE); // as HOLDFAST_LOG_LEVEL=TRACE: everything holdfast itself logs
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void stop() {
    root.detachAppender(logs);
    root.setLevel(rootLevel);
    server.stop(0);
  }

  /** The engine: logs in to the registry with what X-Registry-Auth says, as Docker does. */
  private void answer(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getRawPath();
    String query = x.getRequestURI().getRawQuery();
    calls.add(x.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
    Optional<String> auth = Optional.ofNullable(x.getRequestHeaders().getFirst("X-Registry-Auth"));
    String login = auth.map(RegistryAuthTest::decode).map(JsonNode::toString).orElse("");
    boolean right =
        login.equals(
            "{\"username\":\"alice\",\"password\":\""
                + SECRET
                + "\",\"serveraddress\":\""
                + REGISTRY
                + "\"}");
    String refused =
        auth.isEmpty()
            ? "Head \\\"http://"
                + REGISTRY
                + "/v2/hf/app/manifests/live\\\": no basic auth credentials"
            : "unauthorized: authentication required";
    if (path.equals("/version")) {
      send(x, 200, "{\"Version\":\"20.10.24\",\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.12\"}");
    } else if (path.equals("/v1.41/info")) {
      send(x, 200, "{\"DriverStatus\":[]}");
    } else if (path.equals("/v1.41/images/create")) {
      headers.add(auth);
      if (right) {
        send(x, 200, streamed);
      } else {
        send(x, 500, "{\"message\":\"" + refused + "\"}");
      }
    } else if (path.equals("/v1.41/images/" + REF + "/json")) {
      send(
          x,
          200,
          "{\"Id\":\""
              + IMAGE
              + "\",\"RepoDigests\":[\""
              + REGISTRY
              + "/hf/app@"
              + DIGEST
              + "\"]}");
    } else if (path.equals("/v1.41/distribution/" + REF + "/json")) {
      headers.add(auth);
      if (right) {
        send(x, 200, "{\"Descriptor\":{\"digest\":\"" + DIGEST + "\"}}");
      } else {
        send(x, auth.isEmpty() ? 500 : 401, "{\"message\":\"" + refused + "\"}");
      }
    } else {
      send(x, 404, "{\"message\":\"no such thing\"}");
    }
  }

  private static JsonNode decode(String header) {
    try {
      return JSON.readTree(Base64.getUrlDecoder().decode(header));
    } catch (IOException | IllegalArgumentException e) {
      return JSON.nullNode();
    }
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    x.getResponseBody().write(bytes);
    x.close();
  }

  private DockerEngine docker(RegistryCredentials credentials) {
    return new DockerEngine("tcp://127.0.0.1:" + server.getAddress().getPort(), credentials);
  }

  private static RegistryCredentials login(String password) {
    return new RegistryCredentials(
        Map.of(REGISTRY, RegistryLogin.basic("alice", password)),
        Optional.empty(),
        Optional.empty(),
        CredentialHelpers.onPath());
  }

  /** Every log line holdfast wrote, with its exceptions' messages. */
  private String logged() {
    List<String> out = new ArrayList<>();
    for (ILoggingEvent e : logs.list) {
      out.add(e.getFormattedMessage());
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        out.add(t.getMessage());
      }
    }
    return String.join("\n", out);
  }

  private static List<String> chain(Throwable e) {
    List<String> out = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      out.add(String.valueOf(t));
    }
    return out;
  }

  @Test
  void aPullSendsTheLoginAsXRegistryAuthAndNoLogLineShowsIt() throws IOException {
    try (DockerEngine docker = docker(login(SECRET))) {
      ImageInfo pulled = docker.pull(REF);
      Optional<String> digest = docker.remoteDigest(REF);

      assertThat(pulled.id()).isEqualTo(IMAGE);
      assertThat(digest).contains(DIGEST);
    }
    assertThat(headers).hasSize(2).allMatch(Optional::isPresent);
    String header = headers.get(0).get();
    assertThat(decode(header).path("password").asText()).isEqualTo(SECRET);
    assertThat(logs.list).as("the engine's connection is logged").isNotEmpty();
    assertThat(logged()).doesNotContain(SECRET, header, "s3cret");
  }

  @Test
  void withoutALoginTheRunFailsNamingTheRegistryAndUnauthorized() throws IOException {
    try (DockerEngine docker = docker(RegistryCredentials.NONE)) {
      assertThatThrownBy(() -> docker.pull(REF))
          .isExactlyInstanceOf(EngineException.class) // not transient: no retries
          .hasMessage(
              "pull "
                  + REF
                  + ": registry "
                  + REGISTRY
                  + " answered unauthorized without a login: none for "
                  + REGISTRY
                  + " (no credentials are configured); the engine said: Head \"http://"
                  + REGISTRY
                  + "/v2/hf/app/manifests/live\": no basic auth credentials");
      assertThatThrownBy(() -> docker.remoteDigest(REF))
          .isExactlyInstanceOf(EngineException.class)
          .hasMessageStartingWith(
              "digest of " + REF + ": registry " + REGISTRY + " answered unauthorized");
    }
    assertThat(headers).hasSize(2).allMatch(Optional::isEmpty);
  }

  @Test
  void aWrongLoginSaysWhereItCameFromAndNeverShowsIt() throws IOException {
    try (DockerEngine docker = docker(login(WRONG))) {
      Throwable pull = org.assertj.core.api.Assertions.catchThrowable(() -> docker.pull(REF));
      Throwable digest =
          org.assertj.core.api.Assertions.catchThrowable(() -> docker.remoteDigest(REF));

      assertThat(pull)
          .isExactlyInstanceOf(EngineException.class)
          .hasMessage(
              "pull "
                  + REF
                  + ": registry "
                  + REGISTRY
                  + " answered unauthorized to the login for "
                  + REGISTRY
                  + " from HOLDFAST_REGISTRY_AUTH; the engine said: unauthorized: authentication"
                  + " required");
      assertThat(digest)
          .isExactlyInstanceOf(EngineException.class)
          .hasMessageContaining("registry " + REGISTRY + " answered unauthorized to the login");
      assertThat(String.join("\n", chain(pull)) + String.join("\n", chain(digest)))
          .doesNotContain(WRONG);
    }
    assertThat(logged()).doesNotContain(WRONG);
  }

  @Test
  void pullErrorsInErrorDetailAreRead() throws IOException {
    try (DockerEngine docker = docker(login(SECRET))) {
      streamed =
          "{\"status\":\"Pulling\"}\n{\"errorDetail\":{\"message\":\"manifest for "
              + REF
              + " not found\"}}";
      assertThatThrownBy(() -> docker.pull(REF))
          .hasMessage("pull " + REF + ": manifest for " + REF + " not found");

      streamed =
          "{\"errorDetail\":{\"message\":\"unauthorized: authentication required\"},"
              + "\"error\":\"unauthorized: authentication required\"}";
      assertThatThrownBy(() -> docker.pull(REF))
          .hasMessageStartingWith(
              "pull " + REF + ": registry " + REGISTRY + " answered unauthorized");
    }
  }

  @Test
  void aMissingHelperFailsThePullBeforeTheEngineIsAsked() throws IOException {
    Path config =
        Files.writeString(
            dir.resolve("config.json"), "{\"credHelpers\":{\"" + REGISTRY + "\":\"hf-absent\"}}");
    RegistryCredentials helped =
        new RegistryCredentials(
            Map.of(),
            Optional.empty(),
            Optional.of(config),
            CredentialHelpers.in(dir, Duration.ofSeconds(5)));
    try (DockerEngine docker = docker(helped)) {
      assertThatThrownBy(() -> docker.pull(REF))
          .isInstanceOf(CredentialsException.class)
          .isNotInstanceOf(TransientEngineException.class)
          .hasMessageStartingWith(
              "credential helper docker-credential-hf-absent for "
                  + REGISTRY
                  + " is not installed");
    }
    assertThat(calls).noneMatch(c -> c.contains("/images/create"));
  }
}
