package dev.holdfast.app;

import dev.holdfast.run.PlanExecutor;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * Runs the service until SIGTERM or SIGINT. Its flags are the settings that declare one (see {@link
 * Settings}): each overrides its environment variable.
 */
@Command(
    name = "serve",
    description = "Run the holdfast service on the local Docker engine.",
    modelTransformer = ServeCommand.Flags.class)
public final class ServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  private final Map<String, String> env;
  private final PlanExecutor.Boundary boundary;

  /**
   * @param boundary called at every step boundary of a forward plan: {@link
   *     PlanExecutor.Boundary#NONE} in production; the crash tests' own entry point passes one that
   *     kills the process there
   */
  public ServeCommand(Map<String, String> env, PlanExecutor.Boundary boundary) {
    this.env = env;
    this.boundary = boundary;
  }

  /**
   * The command with its flags. Picocli applies a model transformer only to a command line built by
   * the caller, not to a subcommand added as a bare object, so {@code Main} adds this one.
   */
  public static CommandLine commandLine(Map<String, String> env, PlanExecutor.Boundary boundary) {
    return new CommandLine(new ServeCommand(env, boundary));
  }

  /** Adds one option per setting that declares a flag. */
  static final class Flags implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      for (Setting<?> s : Settings.ALL) {
        s.flag().ifPresent(flag -> spec.addOption(option(s, flag)));
      }
      return spec;
    }

    private static OptionSpec option(Setting<?> s, Setting.Flag flag) {
      OptionSpec.Builder option =
          OptionSpec.builder(flag.name()).description(s.meaning() + "; overrides " + s.key());
      return flag.valued()
          ? option.type(String.class).paramLabel("<" + s.key() + ">").build()
          : option.type(boolean.class).arity("0").build();
    }
  }

  /** The environment with the flags given on the command line laid over it, then read. */
  Config config() {
    Map<String, String> merged = new HashMap<>(env);
    for (Setting<?> s : Settings.ALL) {
      s.flag()
          .map(flag -> spec.findOption(flag.name()))
          .map(OptionSpec::getValue)
          .filter(given -> !Boolean.FALSE.equals(given)) // a toggle not given overrides nothing
          .ifPresent(given -> merged.put(s.key(), given.toString()));
    }
    return Config.from(merged);
  }

  @Override
  public Integer call() throws Exception {
    Config config;
    try {
      config = config();
      config.validate();
    } catch (IllegalArgumentException e) {
      System.err.println("holdfast: " + e.getMessage());
      return 2;
    }
    Service service = new Service(config, boundary);
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
}
