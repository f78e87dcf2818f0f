package dev.holdfast.app;

import dev.holdfast.group.Scope;
import dev.holdfast.hook.RegistryKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the service, each declared once; {@link #ALL} is also the order of the README
 * table. A new setting is a constant here, a component of {@link Config} and a row in the README.
 */
final class Settings {

  private Settings() {}

  static final Setting<String> DOCKER_HOST =
      Setting.of(
              "HOLDFAST_DOCKER_HOST",
              "unix:///var/run/docker.sock",
              "Docker engine to manage (DOCKER_HOST is used when this is unset)",
              Parsers::dockerHost)
          .or("DOCKER_HOST")
          .flag("--docker-host");

  static final Setting<Config.Listen> LISTEN =
      Setting.of(
              "HOLDFAST_LISTEN",
              "127.0.0.1:8080",
              "address and port of the HTTP API",
              Parsers::listen)
          .flag("--listen");

  static final Setting<Optional<String>> API_TOKEN =
      Setting.optional(
          "HOLDFAST_API_TOKEN",
          "bearer token for /api; without it mutating endpoints are off",
          Parsers::text);

  static final Setting<Boolean> INSECURE_NO_AUTH =
      Setting.of(
              "HOLDFAST_INSECURE_NO_AUTH",
              "false",
              "allow mutating endpoints without a token; only on a loopback listener",
              Parsers::bool)
          .toggle("--insecure-no-auth");

  static final Setting<Path> DATA_DIR =
      Setting.of(
              "HOLDFAST_DATA_DIR",
              "./holdfast-data",
              "directory for holdfast's store",
              Parsers::path)
          .flag("--data-dir");

  static final Setting<Duration> INVENTORY_RESYNC =
      Setting.of(
              "HOLDFAST_INVENTORY_RESYNC",
              "5m",
              "how often the containers kept from engine events are read again in full, the safety"
                  + " net against a missed event; 0 never",
              Parsers::duration)
          .flag("--inventory-resync");

  static final Setting<Duration> RECONCILE_INTERVAL =
      Setting.of(
              "HOLDFAST_RECONCILE_INTERVAL",
              "30s",
              "how often groups are checked for stale members; also the longest a heal waits for"
                  + " another tool (Compose) to finish replacing a holder",
              Parsers::duration)
          .flag("--reconcile-interval");

  static final Setting<Duration> SETTLE =
      Setting.of(
          "HOLDFAST_SETTLE",
          "1s",
          "how long a group must be free of other clients' container events (Compose"
              + " recreating, someone stopping a member) before a heal starts",
          Parsers::duration);

  static final Setting<Duration> GATE_POLL =
      Setting.of(
          "HOLDFAST_GATE_POLL",
          "100ms",
          "how often the health gate looks at a member",
          Parsers::duration);

  static final Setting<Integer> RETRY_ATTEMPTS =
      Setting.of(
          "HOLDFAST_RETRY_ATTEMPTS",
          "9",
          "attempts of an engine call that fails transiently",
          Parsers.integer(1, 100));

  static final Setting<Duration> RETRY_INITIAL =
      Setting.of(
          "HOLDFAST_RETRY_INITIAL",
          "250ms",
          "first backoff between attempts (doubles each time)",
          Parsers::duration);

  static final Setting<Duration> RETRY_MAX =
      Setting.of("HOLDFAST_RETRY_MAX", "5s", "longest backoff between attempts", Parsers::duration);

  static final Setting<Optional<Path>> DOCKER_CONFIG =
      Setting.optional(
              "HOLDFAST_DOCKER_CONFIG",
              "Docker client config.json (or its directory) whose auths, credHelpers and"
                  + " credsStore log pulls in (DOCKER_CONFIG is used when this is unset); default:"
                  + " ~/.docker/config.json",
              Parsers::path)
          .or("DOCKER_CONFIG");

  static final Setting<Optional<Map<String, dev.holdfast.docker.auth.RegistryLogin>>>
      REGISTRY_AUTH =
          Setting.optional(
              "HOLDFAST_REGISTRY_AUTH",
              "registry logins for pulls, <host>=<user>:<password> separated by spaces (user <token>:"
                  + " an identity token); they come before the login file and config.json",
              Parsers::registryAuth);

  static final Setting<Optional<Path>> REGISTRY_AUTH_FILE =
      Setting.optional(
          "HOLDFAST_REGISTRY_AUTH_FILE",
          "file of registry logins, one <host>=<user>:<password> a line (a mounted secret), read at"
              + " each pull",
          Parsers::path);

  static final Setting<Optional<Scope>> SCOPE =
      Setting.optional(
              "HOLDFAST_SCOPE",
              "manage only groups whose holder has the label holdfast.scope=<this>; without it,"
                  + " only groups without the label",
              Parsers::scope)
          .flag("--scope");

  static final Setting<Optional<String>> INSTANCE =
      Setting.optional(
              "HOLDFAST_INSTANCE",
              "this holdfast's name among the instances whose sites share prefixes (site ids are"
                  + " <instance>/<group>); default: the host name",
              Parsers::instance)
          .flag("--instance");

  static final Setting<Optional<Map<dev.holdfast.site.Prefix, dev.holdfast.site.Budget>>> BUDGETS =
      Setting.optional(
              "HOLDFAST_BUDGETS",
              "withdrawal budget per prefix, <prefix>=<maxWithdrawn>/<minAnnounced> separated by"
                  + " spaces; others have 1/1 (at most one site withdrawn, one announcing)",
              Parsers::budgets)
          .flag("--budgets");

  static final Setting<Duration> BUDGET_WAIT =
      Setting.of(
          "HOLDFAST_BUDGET_WAIT",
          "1h",
          "how long a run waits for its prefixes' budget before it fails (nothing is stopped yet)",
          Parsers::duration);

  static final Setting<Optional<java.util.List<String>>> ETCD =
      Setting.optional(
              "HOLDFAST_ETCD",
              "etcd client URLs, comma-separated: share the prefixes' budgets with the holdfast"
                  + " instances of other hosts; without it, the budget covers this engine",
              Parsers::endpoints)
          .flag("--etcd");

  static final Setting<String> ETCD_PREFIX =
      Setting.of(
          "HOLDFAST_ETCD_PREFIX",
          "/holdfast/",
          "etcd key prefix of holdfast's keys",
          Parsers::text);

  static final Setting<Duration> ETCD_TTL =
      Setting.of(
          "HOLDFAST_ETCD_TTL",
          "10s",
          "lease time-to-live: a holdfast gone this long frees its slots, its sites count away",
          Parsers::duration);

  static final Setting<Optional<String>> HOOK_SECRET =
      Setting.optional(
          "HOLDFAST_HOOK_SECRET",
          "secret every hook sender must present unless it has its own; without any, hooks"
              + " answer 401",
          Parsers::text);

  static final Setting<Map<String, String>> HOOK_SECRETS =
      Setting.family(
          "HOLDFAST_HOOK_SECRET_",
          "a sender's own secret: WATCHTOWER (else the API token), DISTRIBUTION, DOCKERHUB,"
              + " HARBOR, QUAY, GITHUB, GITEA, ACR, JFROG, GAR",
          Parsers::family);

  static final Setting<Map<RegistryKind, String>> HOOK_HOSTS =
      Setting.family(
          "HOLDFAST_HOOK_HOST_",
          "registry host for senders whose payload names none (JFROG)",
          Parsers::registryFamily);

  static final Setting<Integer> HOOK_RATE =
      Setting.of(
          "HOLDFAST_HOOK_RATE",
          "200",
          "hook and /v1 requests per second per client",
          Parsers.integer(1, 1_000_000));

  static final Setting<Duration> HOOK_DEDUPE_WINDOW =
      Setting.of(
          "HOLDFAST_HOOK_DEDUPE_WINDOW",
          "10m",
          "how long a delivery id or a pushed digest acts only once",
          Parsers::duration);

  static final Setting<Duration> STOP_TIMEOUT =
      Setting.of(
          "HOLDFAST_STOP_TIMEOUT",
          "8s",
          "on SIGTERM, how long the current step may take before holdfast exits anyway",
          Parsers::duration);

  /** In the order of {@link Config}'s components and of the README table. */
  static final List<Setting<?>> ALL =
      List.of(
          DOCKER_HOST,
          LISTEN,
          API_TOKEN,
          INSECURE_NO_AUTH,
          DATA_DIR,
          RECONCILE_INTERVAL,
          INVENTORY_RESYNC,
          SETTLE,
          GATE_POLL,
          RETRY_ATTEMPTS,
          RETRY_INITIAL,
          RETRY_MAX,
          DOCKER_CONFIG,
          REGISTRY_AUTH,
          REGISTRY_AUTH_FILE,
          HOOK_SECRET,
          HOOK_SECRETS,
          HOOK_HOSTS,
          HOOK_RATE,
          HOOK_DEDUPE_WINDOW,
          STOP_TIMEOUT,
          SCOPE,
          INSTANCE,
          BUDGETS,
          BUDGET_WAIT,
          ETCD,
          ETCD_PREFIX,
          ETCD_TTL);
}
