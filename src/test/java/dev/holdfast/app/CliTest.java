package dev.holdfast.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.http.HttpFixture;
import dev.holdfast.run.ApiFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI against a service on the fake engine: output and exit codes. */
class CliTest {

  private final ApiFixture f = new ApiFixture();
  private HttpFixture api;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() {
    api = HttpFixture.start(f, HttpFixture.Options.defaults().withoutToken().insecure());
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--url";
    all[args.length + 1] = api.url();
    return cli.execute(all);
  }

  @Test
  void statusListsTheGroupAndExitsZeroWhenOk() {
    assertThat(run("status")).isZero();
    assertThat(out.toString()).contains("seed  ok  holder seed-holder").contains("attached");
  }

  @Test
  void planPrintsTheTextPlanAndChangesNothing() {
    f.pushV2();

    assertThat(run("plan", "seed")).isZero();
    assertThat(out.toString()).startsWith("update group seed").contains("withdraw  seed-router");
    assertThat(f.fake().calls()).isEmpty();
  }

  @Test
  void updateWaitsAndExitsZeroOnSuccess() {
    f.pushV2();

    assertThat(run("update", "seed")).isZero();
    assertThat(out.toString()).contains("update seed  succeeded").contains("gate");
  }

  @Test
  void historyListsRunsNewestFirstWithPagingAndShowsOneRun() {
    f.pushV2();
    run("update", "seed");
    run("heal", "seed");
    out.getBuffer().setLength(0);

    assertThat(run("history", "seed", "--limit", "1")).isZero();
    String page = out.toString();
    assertThat(page).contains("seed").contains("next page: holdfast history --before ");
    String first = page.substring(0, page.indexOf(' '));
    String before = page.substring(page.indexOf("--before ") + 9).trim();
    assertThat(before).isEqualTo(first);
    out.getBuffer().setLength(0);
    assertThat(run("history", "--before", before)).isZero();
    String rest = out.toString();
    assertThat(rest).doesNotContain(first).contains("succeeded");
    assertThat(page + rest).contains(" update ").contains(" heal ");
    out.getBuffer().setLength(0);
    assertThat(run("history", "--kind", "update")).isZero();
    String update = out.toString();
    assertThat(update).contains(" update ").doesNotContain(" heal ");
    String id = update.substring(0, update.indexOf(' '));
    out.getBuffer().setLength(0);
    assertThat(run("history", "--run", id)).isZero();
    assertThat(out.toString()).contains("run " + id).contains("gate");
    assertThat(run("history", "--state", "nonsense")).isEqualTo(2);
  }

  @Test
  void exitCodesSayWhatWentWrong() {
    assertThat(run("status", "nope")).isEqualTo(4);
    assertThat(run("update", "seed", "--member", "seed-holder")).isEqualTo(5);
    assertThat(err.toString()).contains("holder");
    assertThat(run("update")).isEqualTo(2);
  }

  @Test
  void anUnreachableServiceIsExitSix() {
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));

    assertThat(cli.execute("status", "--url", "http://127.0.0.1:9")).isEqualTo(6);
    assertThat(err.toString()).contains("cannot reach the service");
  }
}
