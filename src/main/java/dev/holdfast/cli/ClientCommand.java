package dev.holdfast.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of the commands that talk to a running service. */
abstract class ClientCommand implements Callable<Integer> {

  @Mixin ClientOptions options;

  @Spec CommandSpec spec;

  @Override
  public final Integer call() {
    try {
      return run(options.client());
    } catch (ConnectException e) {
      err()
          .println(
              "holdfast: cannot reach the service at "
                  + options.url
                  + " (is `holdfast serve` running?)");
      return ExitCodes.UNREACHABLE;
    } catch (IOException e) {
      err().println("holdfast: " + e.getMessage());
      return ExitCodes.UNREACHABLE;
    }
  }

  abstract int run(ApiClient api) throws IOException;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  int fail(ApiClient.Answer a) {
    err().println("holdfast: " + a.error());
    return ApiClient.exitFor(a.status());
  }
}
