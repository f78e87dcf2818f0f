package dev.holdfast.app;

import static dev.holdfast.app.Settings.API_TOKEN;
import static dev.holdfast.app.Settings.BUDGETS;
import static dev.holdfast.app.Settings.BUDGET_WAIT;
import static dev.holdfast.app.Settings.DATA_DIR;
import static dev.holdfast.app.Settings.DOCKER_CONFIG;
import static dev.holdfast.app.Settings.DOCKER_HOST;
import static dev.holdfast.app.Settings.ETCD;
import static dev.holdfast.app.Settings.ETCD_PREFIX;
import static dev.holdfast.app.Settings.ETCD_TTL;
import static dev.holdfast.app.Settings.GATE_POLL;
import static dev.holdfast.app.Settings.HOOK_DEDUPE_WINDOW;
import static dev.holdfast.app.Settings.HOOK_HOSTS;
import static dev.holdfast.app.Settings.HOOK_RATE;
import static dev.holdfast.app.Settings.HOOK_SECRET;
import static dev.holdfast.app.Settings.HOOK_SECRETS;
import static dev.holdfast.app.Settings.INSECURE_NO_AUTH;
import static dev.holdfast.app.Settings.INSTANCE;
import static dev.holdfast.app.Settings.INVENTORY_RESYNC;
import static dev.holdfast.app.Settings.LISTEN;
import static dev.holdfast.app.Settings.RECONCILE_INTERVAL;
import static dev.holdfast.app.Settings.REGISTRY_AUTH;
import static dev.holdfast.app.Settings.REGISTRY_AUTH_FILE;
import static dev.holdfast.app.Settings.RETRY_ATTEMPTS;
import static dev.holdfast.app.Settings.RETRY_INITIAL;
import static dev.holdfast.app.Settings.RETRY_MAX;
import static dev.holdfast.app.Settings.SCOPE;
import static dev.holdfast.app.Settings.SETTLE;
import static dev.holdfast.app.Settings.STOP_TIMEOUT;

import dev.holdfast.docker.auth.RegistryLogin;
import dev.holdfast.group.Scope;
import dev.holdfast.hook.RegistryKind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The service's configuration, one component per {@link Settings} declaration (same order), read
 * from environment variables; the flags of {@code serve} override them (see {@link ServeCommand}).
 *
 * @param dockerConfig the Docker client config.json (or its directory) of pulls' logins; empty:
 *     {@code ~/.docker/config.json} (see {@link #dockerConfigPath()})
 * @param registryAuth logins per registry host, before the login file and config.json
 * @param registryAuthFile a file of {@code host=user:password} lines, read at each pull
 * @param hookSecret the secret every hook sender presents unless it has its own
 * @param hookSecrets each sender's own secret, by lower-case sender
 * @param hookHosts the registry host of senders whose payload names none
 */
public record Config(
    String dockerHost,
    Listen listen,
    Optional<String> apiToken,
    boolean insecureNoAuth,
    Path dataDir,
    Duration reconcileInterval,
    Duration inventoryResync,
    Duration settle,
    Duration gatePoll,
    int retryAttempts,
    Duration retryInitial,
    Duration retryMax,
    Optional<Path> dockerConfig,
    Map<String, RegistryLogin> registryAuth,
    Optional<Path> registryAuthFile,
    Optional<String> hookSecret,
    Map<String, String> hookSecrets,
    Map<RegistryKind, String> hookHosts,
    int hookRate,
    Duration hookDedupeWindow,
    Duration stopTimeout,
    Optional<Scope> scope,
    Optional<String> instance,
    Map<dev.holdfast.site.Prefix, dev.holdfast.site.Budget> budgets,
    Duration budgetWait,
    Optional<java.util.List<String>> etcd,
    String etcdPrefix,
    Duration etcdTtl) {

  /** Where the HTTP API listens; port 0 picks a free one. */
  public record Listen(String host, int port) {}

  /** Reads every setting; the first bad value stops it, with an error naming its variable. */
  public static Config from(Map<String, String> env) {
    return new Config(
        DOCKER_HOST.read(env),
        LISTEN.read(env),
        API_TOKEN.read(env),
        INSECURE_NO_AUTH.read(env),
        DATA_DIR.read(env),
        RECONCILE_INTERVAL.read(env),
        INVENTORY_RESYNC.read(env),
        SETTLE.read(env),
        GATE_POLL.read(env),
        RETRY_ATTEMPTS.read(env),
        RETRY_INITIAL.read(env),
        RETRY_MAX.read(env),
        DOCKER_CONFIG.read(env),
        REGISTRY_AUTH.read(env).orElse(Map.of()),
        REGISTRY_AUTH_FILE.read(env),
        HOOK_SECRET.read(env),
        HOOK_SECRETS.read(env),
        HOOK_HOSTS.read(env),
        HOOK_RATE.read(env),
        HOOK_DEDUPE_WINDOW.read(env),
        STOP_TIMEOUT.read(env),
        SCOPE.read(env),
        INSTANCE.read(env),
        BUDGETS.read(env).orElse(Map.of()),
        BUDGET_WAIT.read(env),
        ETCD.read(env),
        ETCD_PREFIX.read(env),
        ETCD_TTL.read(env));
  }

  /** This holdfast's name in site ids: the setting, else the host name. */
  public String instanceName() {
    return instance.orElseGet(
        () -> {
          try {
            String h = InetAddress.getLocalHost().getHostName();
            return h.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}") ? h : "holdfast";
          } catch (UnknownHostException e) {
            return "holdfast";
          }
        });
  }

  /** The Docker client config of pulls: the setting, else {@code ~/.docker/config.json}. */
  public Path dockerConfigPath() {
    return dockerConfig.orElseGet(
        () -> Path.of(System.getProperty("user.home"), ".docker", "config.json"));
  }

  public String listenHost() {
    return listen.host();
  }

  public int listenPort() {
    return listen.port();
  }

  /**
   * Refuses what no single setting shows wrong: mutating endpoints without auth on an address
   * others can reach.
   */
  public void validate() {
    if (apiToken.isEmpty() && insecureNoAuth && !loopback(listen.host())) {
      throw new IllegalArgumentException(
          INSECURE_NO_AUTH.key() + " is only allowed on a loopback listener, not " + listen.host());
    }
  }

  static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Secrets never reach logs, not even through a record's generated toString. */
  @Override
  public String toString() {
    return "Config[dockerHost="
        + dockerHost
        + ", listen="
        + listen.host()
        + ":"
        + listen.port()
        + ", apiToken="
        + (apiToken.isPresent() ? "set" : "none")
        + ", hookSecret="
        + (hookSecret.isPresent() ? "set" : "none")
        + ", hookSecrets="
        + hookSecrets.keySet()
        + ", registryAuth="
        + new java.util.TreeSet<>(registryAuth.keySet())
        + ", registryAuthFile="
        + registryAuthFile.map(Path::toString).orElse("none")
        + ", dockerConfig="
        + dockerConfigPath()
        + ", dataDir="
        + dataDir
        + "]";
  }
}
