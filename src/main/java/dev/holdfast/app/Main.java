package dev.holdfast.app;

import dev.holdfast.cli.HealCommand;
import dev.holdfast.cli.HistoryCommand;
import dev.holdfast.cli.PlanCommand;
import dev.holdfast.cli.ResumeCommand;
import dev.holdfast.cli.StatusCommand;
import dev.holdfast.cli.UpdateCommand;
import dev.holdfast.run.PlanExecutor;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The holdfast command line: {@code serve} runs the service; the rest talk to it. */
@Command(
    name = "holdfast",
    mixinStandardHelpOptions = true,
    version = "holdfast 0.1.0",
    description = "Keeps anycast container groups alive through image updates.")
public final class Main {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main())
        .addSubcommand(ServeCommand.commandLine(System.getenv(), PlanExecutor.Boundary.NONE))
        .addSubcommand(new StatusCommand())
        .addSubcommand(new PlanCommand())
        .addSubcommand(new UpdateCommand())
        .addSubcommand(new HealCommand())
        .addSubcommand(new HistoryCommand())
        .addSubcommand(new ResumeCommand());
  }
}
