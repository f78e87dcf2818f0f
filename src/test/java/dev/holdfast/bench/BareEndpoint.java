package dev.holdfast.bench;

import io.javalin.Javalin;

/**
 * The reference endpoint of bench/hooks.sh: a Javalin app on 127.0.0.1:PORT, built like holdfast's
 * (the Javalin, Jetty and logging of holdfast's shaded jar; same request size limit, no banner),
 * whose POST /hooks/registry reads the whole body and answers 200 with an empty body, and nothing
 * else: the transport-side cost of a webhook acknowledgement, without authentication, parsing,
 * dedupe or matching. Stops on SIGTERM.
 *
 * <p>Usage: {@code java -cp target/test-classes:target/holdfast.jar dev.holdfast.bench.BareEndpoint
 * PORT}
 */
public final class BareEndpoint {

  public static void main(String[] args) {
    if (args.length != 1 || !args[0].matches("[0-9]{1,5}")) {
      System.err.println("usage: BareEndpoint PORT");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    Javalin app =
        Javalin.create(
            config -> {
              config.http.maxRequestSize = 1024 * 1024;
              config.startup.showJavalinBanner = false;
              config.routes.post(
                  "/hooks/registry",
                  ctx -> {
                    byte[] body = ctx.bodyAsBytes();
                    if (body.length == 0) {
                      ctx.status(400);
                      return;
                    }
                    ctx.status(200);
                  });
            });
    Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "stop"));
    app.start("127.0.0.1", port);
    System.err.println("bare endpoint on 127.0.0.1:" + port + " (Javalin " + version() + ")");
  }

  private static String version() {
    try (var in =
        Javalin.class.getResourceAsStream("/META-INF/maven/io.javalin/javalin/pom.properties")) {
      var p = new java.util.Properties();
      p.load(in);
      return p.getProperty("version", "?");
    } catch (Exception e) {
      return "?";
    }
  }
}
