package dev.holdfast.cli;

import picocli.CommandLine.Option;

/** Where the service is; the token comes from the environment so it never shows in ps. */
public final class ClientOptions {

  @Option(
      names = "--url",
      defaultValue = "${env:HOLDFAST_URL:-http://127.0.0.1:8080}",
      description = "holdfast service URL (env HOLDFAST_URL, default ${DEFAULT-VALUE})")
  String url;

  ApiClient client() {
    return new ApiClient(url, System.getenv("HOLDFAST_API_TOKEN"));
  }
}
