package dev.holdfast.app;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the service until SIGTERM or SIGINT. */
@Command(name = "serve", description = "Run the holdfast service on the local Docker engine.")
public final class ServeCommand implements Callable<Integer> {

  @Option(names = "--docker-host", description = "overrides HOLDFAST_DOCKER_HOST")
  String dockerHost;

  @Option(names = "--listen", description = "host:port; overrides HOLDFAST_LISTEN")
  String listen;

  @Option(names = "--data-dir", description = "overrides HOLDFAST_DATA_DIR")
  Path dataDir;

  @Option(
      names = "--reconcile-interval",
      description = "e.g. 30s; overrides HOLDFAST_RECONCILE_INTERVAL")
  String reconcileInterval;

  @Option(
      names = "--insecure-no-auth",
      description = "allow mutating endpoints without a token (loopback listener only)")
  boolean insecureNoAuth;

  private final Map<String, String> env;

  public ServeCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> merged = new HashMap<>(env);
    put(merged, "HOLDFAST_DOCKER_HOST", dockerHost);
    put(merged, "HOLDFAST_LISTEN", listen);
    put(merged, "HOLDFAST_DATA_DIR", dataDir == null ? null : dataDir.toString());
    put(merged, "HOLDFAST_RECONCILE_INTERVAL", reconcileInterval);
    if (insecureNoAuth) {
      merged.put("HOLDFAST_INSECURE_NO_AUTH", "true");
    }
    Config config;
    try {
      config = Config.from(merged);
      config.validate();
    } catch (IllegalArgumentException e) {
      System.err.println("holdfast: " + e.getMessage());
      return 2;
    }
    Service service = new Service(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  stopped.countDown();
                },
                "shutdown"));
    service.start();
    stopped.await();
    return 0;
  }

  private static void put(Map<String, String> env, String key, String value) {
    if (value != null) {
      env.put(key, value);
    }
  }
}
