package dev.holdfast.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.holdfast.docker.auth.RegistryCredentials;
import dev.holdfast.docker.auth.RegistryHosts;
import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.CreateRequest;
import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineEvent;
import dev.holdfast.engine.EngineException;
import dev.holdfast.engine.ExecResult;
import dev.holdfast.engine.ImageInfo;
import dev.holdfast.engine.ImageRef;
import dev.holdfast.engine.NoSuchContainerException;
import dev.holdfast.engine.TransientEngineException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Engine} port over the Docker Engine API. The API version is negotiated with the engine
 * on first use (and again after a failed first contact), never pinned.
 */
public final class DockerEngine implements Engine, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);

  private final URI host;
  private final RegistryCredentials credentials;
  private final ObjectMapper json = new ObjectMapper();
  private final DockerHttpClient http;
  private final DockerHttpClient streamHttp;
  private volatile Connected connected;

  /** Inspects in parallel (a full resync of 1,000 containers); idle threads end after 10 s. */
  private final ThreadPoolExecutor inspectors =
      new ThreadPoolExecutor(
          8,
          8,
          10,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(),
          r -> {
            Thread t = new Thread(r, "docker-inspect");
            t.setDaemon(true);
            return t;
          });

  {
    inspectors.allowCoreThreadTimeOut(true);
  }

  /**
   * @param containerdStore whether the engine keeps images in containerd's store, where repo
   *     digests are listed for every name and say nothing about where an image came from
   */
  private record Connected(
      String apiVersion, RawApi raw, DockerClient client, boolean containerdStore) {}

  public DockerEngine(String dockerHost) {
    this(dockerHost, RegistryCredentials.NONE);
  }

  /**
   * @param credentials the logins of pulls and remote digest checks, asked at each one
   */
  public DockerEngine(String dockerHost, RegistryCredentials credentials) {
    this.credentials = credentials;
    this.host = URI.create(dockerHost);
    this.http = httpClient(Duration.ofMinutes(10));
    // events can be quiet for a long time; their stream must not time out like a call
    this.streamHttp = httpClient(Duration.ofDays(1));
  }

  private DockerHttpClient httpClient(Duration responseTimeout) {
    return new ApacheDockerHttpClient.Builder()
        .dockerHost(host)
        .maxConnections(64)
        .connectionTimeout(Duration.ofSeconds(5))
        .responseTimeout(responseTimeout)
        .build();
  }

  private Connected connected() {
    Connected c = connected;
    if (c != null) {
      return c;
    }
    synchronized (this) {
      if (connected == null) {
        JsonNode version = new RawApi(http, json, null).get("engine version", "/version");
        String api =
            ApiVersion.choose(
                version.path("ApiVersion").asText(), version.path("MinAPIVersion").asText(""));
        DefaultDockerClientConfig config =
            DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host.toString())
                .withApiVersion(api)
                .build();
        RawApi raw = new RawApi(http, json, api);
        connected =
            new Connected(
                api,
                raw,
                DockerClientImpl.getInstance(config, streamHttp),
                containerdStore(raw.get("engine info", "/info")));
        log.info(
            "connected to Docker {} (API {}, speaking {})",
            version.path("Version").asText(),
            version.path("ApiVersion").asText(),
            api);
      }
      return connected;
    }
  }

  /** {@code DriverStatus} carries {@code ["driver-type", "io.containerd.snapshotter.v1"]}. */
  static boolean containerdStore(JsonNode info) {
    for (JsonNode pair : info.path("DriverStatus")) {
      if (pair.size() == 2
          && pair.get(0).asText().equals("driver-type")
          && pair.get(1).asText().startsWith("io.containerd.snapshotter")) {
        return true;
      }
    }
    return false;
  }

  /** The API version in use, negotiating it if needed. */
  public String apiVersion() {
    return connected().apiVersion();
  }

  private RawApi raw() {
    return connected().raw();
  }

  @Override
  public void ping() {
    raw().get("ping", "/version");
  }

  @Override
  public List<ContainerView> containers() {
    List<CompletableFuture<Optional<ContainerView>>> inspects = new ArrayList<>();
    for (JsonNode summary : raw().get("list containers", "/containers/json?all=1")) {
      String id = summary.path("Id").asText();
      // one inspect per container, several at once: a host with hundreds of containers
      // is listed in a fraction of the time a sequential walk takes
      inspects.add(CompletableFuture.supplyAsync(() -> container(id), inspectors));
    }
    List<ContainerView> views = new ArrayList<>();
    for (CompletableFuture<Optional<ContainerView>> f : inspects) {
      try {
        f.join().ifPresent(views::add); // empty: removed between list and inspect
      } catch (CompletionException e) {
        throw DockerErrors.translate("list containers", e.getCause());
      }
    }
    return views;
  }

  @Override
  public Optional<ContainerView> container(String idOrName) {
    try {
      return Optional.of(ContainerJson.view(inspect(idOrName)));
    } catch (NoSuchContainerException e) {
      return Optional.empty();
    }
  }

  private JsonNode inspect(String idOrName) {
    return raw().get("inspect " + idOrName, "/containers/" + RawApi.enc(idOrName) + "/json");
  }

  @Override
  public Optional<ImageInfo> image(String refOrId) {
    try {
      JsonNode image = raw().get("inspect image " + refOrId, "/images/" + refOrId + "/json");
      List<String> digests = new ArrayList<>();
      image.path("RepoDigests").forEach(d -> digests.add(d.asText()));
      JsonNode test = image.path("Config").path("Healthcheck").path("Test");
      boolean health = test.isArray() && test.size() > 0 && !"NONE".equals(test.get(0).asText());
      return Optional.of(
          new ImageInfo(
              image.path("Id").asText(), digests, health, !connected().containerdStore()));
    } catch (NoSuchContainerException e) {
      return Optional.empty();
    }
  }

  /**
   * Pulls with the login {@link RegistryCredentials} has for the reference's registry (sent as
   * {@code X-Registry-Auth}, never logged). A registry that refuses, or wants a login none was
   * given for, fails the pull with a message naming the registry and saying {@code unauthorized}.
   */
  @Override
  public ImageInfo pull(String ref) {
    ImageRef r = ImageRef.parse(ref);
    String tag = r.digest().isEmpty() ? r.tag() : r.digest();
    String path =
        "/images/create?fromImage=" + RawApi.enc(r.repository()) + "&tag=" + RawApi.enc(tag);
    Optional<RegistryCredentials.Found> login = credentials.forImage(ref);
    login.ifPresent(
        f -> log.debug("pull {} with the login for {} from {}", ref, f.host(), f.source()));
    List<String> errors = new ArrayList<>();
    try {
      raw()
          .postStream(
              "pull " + ref,
              path,
              authHeader(login),
              progress -> streamError(progress).ifPresent(errors::add));
    } catch (TransientEngineException e) {
      if (DockerErrors.isTransport(e)) {
        throw e; // the engine itself is away: worth retrying
      }
      // a 5xx from the pull means the registry failed; retrying the engine will not help
      throw refused("pull " + ref, ref, login, e.getMessage())
          .orElseGet(() -> new EngineException(e.getMessage(), e)); // says "pull <ref>: ..."
    } catch (EngineException e) {
      throw refused("pull " + ref, ref, login, e.getMessage()).orElse(e);
    }
    if (!errors.isEmpty()) {
      String said = String.join("; ", errors);
      throw refused("pull " + ref, ref, login, said).orElseGet(() -> RawApi.pullError(ref, said));
    }
    return image(ref).orElseThrow(() -> RawApi.pullError(ref, "image missing after pull"));
  }

  /** A progress object's error: {@code error}, else {@code errorDetail.message}. */
  static Optional<String> streamError(JsonNode progress) {
    String error = progress.path("error").asText("");
    if (error.isBlank()) {
      error = progress.path("errorDetail").path("message").asText("");
    }
    return error.isBlank() ? Optional.empty() : Optional.of(error.strip());
  }

  private static Map<String, String> authHeader(Optional<RegistryCredentials.Found> login) {
    return login.map(f -> Map.of("X-Registry-Auth", f.header())).orElse(Map.of());
  }

  /**
   * The error for a registry that refused the login sent, or wanted one: names the registry, says
   * {@code unauthorized}, says where the login came from (or where none was found), and keeps the
   * engine's own words. Empty when the engine's error is about something else.
   */
  private Optional<EngineException> refused(
      String what, String ref, Optional<RegistryCredentials.Found> login, String engineSaid) {
    if (!DockerErrors.isUnauthorized(engineSaid)) {
      return Optional.empty();
    }
    String host = RegistryHosts.ofImage(ref);
    String said =
        (engineSaid.startsWith(what + ": ") ? engineSaid.substring(what.length() + 2) : engineSaid)
            .replaceFirst("^engine answered \\d+ ", "");
    String why =
        login
            .map(f -> "to the login for " + host + " from " + f.source())
            .orElse("without a login: none for " + host + " (" + credentials.sources() + ")");
    return Optional.of(
        new EngineException(
            what
                + ": registry "
                + host
                + " answered unauthorized "
                + why
                + "; the engine said: "
                + said));
  }

  /**
   * The digest the registry serves, asked with the registry's login. Empty when the registry cannot
   * tell; a registry that refuses the login fails as {@link #pull} does.
   */
  @Override
  public Optional<String> remoteDigest(String ref) {
    Optional<RegistryCredentials.Found> login = credentials.forImage(ref);
    String what = "digest of " + ref;
    try {
      JsonNode d = raw().get(what, "/distribution/" + ref + "/json", authHeader(login));
      return Optional.of(d.path("Descriptor").path("digest").asText()).filter(s -> !s.isEmpty());
    } catch (EngineException e) {
      Optional<EngineException> refused = refused(what, ref, login, e.getMessage());
      if (refused.isPresent()) {
        throw refused.get();
      }
      log.debug("no remote digest for {}: {}", ref, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void stop(String id) {
    raw().idempotent("stop " + id, "POST", "/containers/" + RawApi.enc(id) + "/stop", 304);
  }

  @Override
  public void start(String id) {
    raw().idempotent("start " + id, "POST", "/containers/" + RawApi.enc(id) + "/start", 304);
  }

  @Override
  public void rename(String id, String newName) {
    raw()
        .idempotent(
            "rename " + id + " to " + newName,
            "POST",
            "/containers/" + RawApi.enc(id) + "/rename?name=" + RawApi.enc(newName));
  }

  @Override
  public void setRestartPolicy(String id, String policy) {
    String[] parts = policy.split(":", 2);
    ObjectNode body = json.createObjectNode();
    ObjectNode restart = body.putObject("RestartPolicy");
    restart.put("Name", parts[0].equals("no") ? "" : parts[0]);
    restart.put("MaximumRetryCount", parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
    raw().post("restart policy of " + id, "/containers/" + RawApi.enc(id) + "/update", body);
  }

  @Override
  public String create(CreateRequest request) {
    JsonNode source = inspect(request.sourceId());
    JsonNode oldImage = image(source.path("Image").asText()).isPresent() ? rawImage(source) : null;
    ObjectNode body = CreateBody.build(source, oldImage, request);
    JsonNode created =
        raw()
            .post(
                "create " + request.name(),
                "/containers/create?name=" + RawApi.enc(request.name()),
                body);
    return created.path("Id").asText();
  }

  private JsonNode rawImage(JsonNode container) {
    String id = container.path("Image").asText();
    return raw().get("inspect image " + id, "/images/" + id + "/json");
  }

  @Override
  public void remove(String id) {
    raw().idempotent("remove " + id, "DELETE", "/containers/" + RawApi.enc(id) + "?force=1", 404);
  }

  @Override
  public ExecResult exec(String id, List<String> command, Duration timeout) {
    return DockerStreams.exec(connected().client(), id, command, timeout);
  }

  @Override
  public AutoCloseable events(Consumer<EngineEvent> onEvent, Consumer<Throwable> onEnd) {
    return DockerStreams.events(connected().client(), onEvent, onEnd);
  }

  @Override
  public void close() throws java.io.IOException {
    inspectors.shutdownNow();
    http.close();
    streamHttp.close();
  }
}
