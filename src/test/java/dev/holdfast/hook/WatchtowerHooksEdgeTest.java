package dev.holdfast.hook;

import static dev.holdfast.hook.Fixtures.assertMalformed;
import static dev.holdfast.hook.WatchtowerHooksTest.APP;
import static dev.holdfast.hook.WatchtowerHooksTest.fixture;
import static dev.holdfast.hook.WatchtowerHooksTest.notice;
import static dev.holdfast.hook.WatchtowerHooksTest.other;
import static dev.holdfast.trigger.WatchtowerNotice.Kind.NAMESPACE_LOST;
import static dev.holdfast.trigger.WatchtowerNotice.Kind.NEW_IMAGE;
import static dev.holdfast.trigger.WatchtowerNotice.Kind.OTHER;
import static dev.holdfast.trigger.WatchtowerNotice.Kind.RECREATED;
import static dev.holdfast.trigger.WatchtowerNotice.Kind.RECREATE_FAILED;
import static dev.holdfast.trigger.WatchtowerNotice.Kind.VETOED;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.holdfast.trigger.MalformedHookException;
import dev.holdfast.trigger.WatchtowerNotice;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractListAssert;
import org.assertj.core.api.ObjectAssert;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WatchtowerHooksEdgeTest {

  private final WatchtowerHooks hooks = new WatchtowerHooks();

  // --- nothing, line endings, bounds ---

  @Test
  void anEmptyBodySaysNothing() {
    assertThat(hooks.read("application/json", new byte[0])).isEmpty();
    assertThat(hooks.read(null, null)).isEmpty();
    assertThat(read(" \n\r\n\t \n")).isEmpty();
    assertThat(read("{\"message\":\"\",\"title\":\"Watchtower updates on docker-host\"}"))
        .isEmpty();
    assertThat(read("{\"entries\":[],\"host\":\"h\",\"report\":null,\"title\":\"t\"}")).isEmpty();
  }

  @Test
  void crlfAndCrLineEndingsReadAsLf() {
    String lf = new String(fixture("generic-plain-default-updated.txt"), UTF_8);
    List<WatchtowerNotice> expected = read(lf);

    assertThat(read(lf.replace("\n", "\r\n"))).isEqualTo(expected);
    assertThat(read(lf.replace("\n", "\r"))).isEqualTo(expected);
    String report = new String(fixture("nf-report-restarted.txt"), UTF_8);
    assertThat(read(report.replace("\n", "\r\n"))).isEqualTo(read(report));
  }

  @Test
  void aByteOrderMarkIsSkipped() {
    assertKinds(read("\uFEFFCreating /app\n")).containsExactly(notice(RECREATED, "app"));
  }

  @Test
  void aHostileMebibyteLineIsOneClippedOtherNotice() {
    String[] hostile = {
      "A".repeat(1 << 20),
      "Found new " + "a".repeat(1 << 20) + " image (0123456789ab)",
      "Stopping /" + "a".repeat(1 << 20) + " (0123456789ab) with SIGTERM",
      "- " + "a (b".repeat(1 << 18),
      "x | container=" + "a".repeat(1 << 20),
      "No such container ".repeat(60_000),
    };
    for (String line : hostile) {
      List<WatchtowerNotice> notices =
          assertTimeoutPreemptively(Duration.ofSeconds(5), () -> read(line + "\nCreating /app"));

      assertKinds(notices).containsExactly(other(), notice(RECREATED, "app"));
      assertThat(notices.get(0).text())
          .hasSize(WatchtowerHooks.MAX_TEXT_CHARS + 1)
          .endsWith("…")
          .startsWith(line.substring(0, 20));
    }
  }

  @Test
  void aReportItemLongerThanTheLineLimitIsOther() {
    String body = "1 Scanned, 1 Updated, 0 Failed\n- /app (" + APP + "): " + "f".repeat(9000);

    assertKinds(read(body)).containsExactly(other(), other());
  }

  @Test
  void deeplyNestedJsonIsReadAsText() {
    String body = "[".repeat(1 << 19);

    assertKinds(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> read(body)))
        .containsExactly(other());
  }

  @Test
  void linesBeyondTenThousandAreIgnored() {
    String body =
        IntStream.range(0, WatchtowerHooks.MAX_LINES + 5)
            .mapToObj(i -> "Creating /c" + i)
            .collect(Collectors.joining("\n"));

    List<WatchtowerNotice> notices = read(body);

    assertThat(notices).hasSize(WatchtowerHooks.MAX_LINES);
    assertThat(notices.get(notices.size() - 1).container()).isEqualTo("c9999");
  }

  @Test
  void reportItemsBeyondTenThousandAreIgnored() {
    String item = "{\"imageName\":\"x:latest\",\"name\":\"/c%d\",\"state\":\"Fresh\"}";
    String items =
        IntStream.range(0, WatchtowerHooks.MAX_LINES + 5)
            .mapToObj(i -> item.formatted(i))
            .collect(Collectors.joining(","));

    assertThat(read("{\"report\":{\"fresh\":[" + items + "]}}")).hasSize(WatchtowerHooks.MAX_LINES);
  }

  @Test
  void textIsClipped() {
    String error = "Error response from daemon: No such container: " + "ab".repeat(1000);

    WatchtowerNotice notice = read("Creating /app\n" + error).get(1);

    assertThat(notice.kind()).isEqualTo(NAMESPACE_LOST);
    assertThat(notice.text()).hasSize(WatchtowerHooks.MAX_TEXT_CHARS + 1).endsWith("…");
  }

  // --- what is text, what is refused ---

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"message\": \"Creating /app\"",
        "{not json}",
        "{\"message\":\"Creating /app\"} trailing",
        "{\"message\":\"a\"}\n{\"message\":\"b\"}",
        "[1, 2",
        "42 Scanned",
        "true story",
        "\"unterminated",
      })
  void invalidJsonIsReadAsTextLines(String body) {
    List<WatchtowerNotice> notices = read(body);

    assertThat(notices).isNotEmpty().allSatisfy(n -> assertThat(n.kind()).isEqualTo(OTHER));
    assertThat(notices.get(0).text()).isEqualTo(body.lines().findFirst().orElseThrow().strip());
  }

  @Test
  void invalidJsonStartingWithABraceStillYieldsItsLines() {
    assertKinds(read("{oops\nCreating /app\nFound new nginx:latest image (0123456789ab)"))
        .containsExactly(other(), notice(RECREATED, "app"), tuple(NEW_IMAGE, "", "nginx:latest"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[]",
        "[{\"message\":\"Creating /app\"}]",
        "42",
        "-1.5",
        "\"Creating /app\"",
        "true",
        "null",
        "{}",
        "{\"text\":\"Creating /app\"}",
        "{\"containers\":[]}",
        "{\"message\":5,\"title\":\"t\"}",
        "{\"message\":null}",
        "{\"report\":5}",
        "{\"report\":[]}",
        "{\"report\":{\"updated\":{}}}",
        "{\"report\":{\"updated\":[\"/app\"]}}",
        "{\"report\":{\"updated\":[{\"imageName\":\"x\"}]}}",
        "{\"report\":{\"stale\":[{\"name\":\"  \"}]}}",
        "{\"report\":null,\"entries\":{}}",
        "{\"report\":null,\"entries\":[\"Creating /app\"]}",
        "{\"report\":null,\"entries\":[{\"message\":[\"Creating /app\"]}]}",
        "{\"message\":\"{\\\"report\\\":5}\"}",
      })
  void jsonOfAnotherShapeIsRefused(String body) {
    assertThatThrownBy(() -> read(body))
        .isInstanceOf(MalformedHookException.class)
        .hasMessageNotContaining("\n")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(120));
  }

  @Test
  void aBodyThatIsNotUtf8IsRefused() {
    byte[][] bodies = {
      {(byte) 0xC3, 0x28},
      "Creating /caf\u00e9".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
      {'C', 'r', (byte) 0xFF, 'e'},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    };
    for (byte[] body : bodies) {
      assertMalformed(() -> hooks.read("text/plain", body), "body is not valid UTF-8");
    }
  }

  // --- the wrapper ---

  @Test
  void theWrapperMayOmitTheTitleAndCarryExtraFields() {
    assertKinds(read("{\"message\":\"Creating /app\\n\",\"source\":\"nas\"}"))
        .containsExactly(notice(RECREATED, "app"));
  }

  @Test
  void unwrappingIsBoundedToTwoJsonDecodings() {
    String inner = "{\"message\":\"Creating /app\",\"title\":\"t\"}";
    String twice = "{\"message\":" + quote(inner) + ",\"title\":\"t\"}";
    String thrice = "{\"message\":" + quote(twice) + ",\"title\":\"t\"}";

    assertKinds(read(inner)).containsExactly(notice(RECREATED, "app"));
    assertKinds(read(twice)).containsExactly(notice(RECREATED, "app"));
    List<WatchtowerNotice> bounded = read(thrice);
    assertKinds(bounded).containsExactly(other());
    assertThat(bounded.get(0).text()).isEqualTo(inner);
  }

  @Test
  void aWrappedMessageOfAnotherJsonShapeIsText() {
    assertKinds(read("{\"message\":\"[1,2]\",\"title\":\"t\"}")).containsExactly(other());
    assertKinds(read("{\"message\":\"{\\\"a\\\":1}\"}")).containsExactly(other());
  }

  // --- lines: the original ---

  @Test
  void foundNewForSeveralContainersSharingAnImageIsOneNotice() {
    String found = "Found new nginx:1.27 image (0123456789ab)\n";

    assertKinds(read(found + found + "Stopping /web1 (aaaaaaaaaaaa) with SIGTERM\n" + found))
        .containsExactly(tuple(NEW_IMAGE, "", "nginx:1.27"), notice(RECREATED, "web1"));
  }

  @Test
  void olderVersionsWroteFullIdsAndOtherSignals() {
    assertKinds(
            read(
                "Found new ghcr.io/a/b:2 image (sha256:"
                    + "0".repeat(64)
                    + ")\nStopping /jackett_maine ("
                    + "9".repeat(64)
                    + ") with SIGHUP"))
        .containsExactly(tuple(NEW_IMAGE, "", "ghcr.io/a/b:2"), notice(RECREATED, "jackett_maine"));
  }

  @Test
  void aDaemonErrorRightAfterStoppingOrCreatingBelongsToThatContainer() {
    assertKinds(
            read(
                "Creating /qbittorrent\n"
                    + "Error response from daemon: No such container: "
                    + "5f3c".repeat(16)
                    + "\nStopping /app (0123456789ab) with SIGTERM\n"
                    + "Error response from daemon: joining network namespace of container: x"))
        .containsExactly(
            notice(RECREATED, "qbittorrent"),
            notice(NAMESPACE_LOST, "qbittorrent"),
            notice(RECREATED, "app"),
            notice(NAMESPACE_LOST, "app"));
  }

  @Test
  void aNamespaceErrorWithoutAContainerBeforeItHasNoName() {
    assertKinds(
            read(
                "Unable to resolve network container: Error response from daemon: No such"
                    + " container: 0123456789ab\n"
                    + "Removing image 0123456789ab\n"
                    + "Error response from daemon: No such container: 0123456789ab"))
        .containsExactly(notice(NAMESPACE_LOST, ""), other(), notice(NAMESPACE_LOST, ""));
  }

  @Test
  void anErrorAfterAContainersLineIsItsFailedRecreateAndHookLinesAreNot() {
    assertKinds(
            read(
                "Creating /app\n"
                    + "Error response from daemon: driver failed programming external"
                    + " connectivity: Bind for 0.0.0.0:80 failed: port is already allocated\n"
                    + "container /app (0123456789ab) could not be removed\n"
                    + "command exited with code 1  boom\n"
                    + "Skipping container as the pre-update command failed\n"
                    + "Error response from daemon: port is already allocated"))
        .containsExactly(
            notice(RECREATED, "app"),
            notice(RECREATE_FAILED, "app"),
            notice(RECREATE_FAILED, "app"),
            other(),
            notice(VETOED, ""),
            other());
  }

  @Test
  void unableToUpdateNamesItsContainer() {
    assertKinds(
            read(
                "Unable to update container \"/app\": Error response from daemon: No such"
                    + " container: abc. Proceeding to next.\n"
                    + "Unable to update container \"/db\": container uses a pinned image, and"
                    + " cannot be updated by watchtower. Proceeding to next."))
        .containsExactly(notice(NAMESPACE_LOST, "app"), notice(OTHER, "db"));
  }

  @Test
  void creatingNeedsTheLeadingSlashTheOriginalWrites() {
    assertKinds(read("Creating notifier\nCreating /app\nCreating two words"))
        .containsExactly(other(), notice(RECREATED, "app"), other());
  }

  // --- lines: the fork ---

  @Test
  void forkLinesNameTheirContainer() {
    assertKinds(
            read(
                "Updated container: app (org/app:latest): 01d110000000 updated to d0a110000000\n"
                    + "Update failed for vpn (qmcgaw/gluetun:latest): Error response from daemon:"
                    + " No such container: x\n"
                    + "Update failed for db (postgres:16): image pull: rate limited\n"
                    + "Cleaned up old image: org/app:latest (01d110000000)\n"
                    + "Unrecognized message with fields | alpha=one beta=2 \n"
                    + "Failed to start | container_name=web error=joining network namespace: x \n"
                    + "Failed to start | error=cannot join network of a non running container: v "))
        .containsExactly(
            tuple(RECREATED, "app", "org/app:latest"),
            tuple(NAMESPACE_LOST, "vpn", "qmcgaw/gluetun:latest"),
            tuple(RECREATE_FAILED, "db", "postgres:16"),
            other(),
            other(),
            notice(NAMESPACE_LOST, "web"),
            notice(NAMESPACE_LOST, ""));
  }

  @Test
  void forkUpdatedItemsMayCarryAChangelog() {
    assertKinds(
            read(
                "1 Scanned, 1 Updated, 0 Restarted, 0 Failed, 0 Fresh, 0 Skipped\n- updt1"
                    + " (mock/updt1:latest): 01d110000000 updated to d0a110000000 ref v1.2.0"
                    + " https://github.com/org/app/releases/tag/v1.2.0\n"))
        .containsExactly(other(), tuple(RECREATED, "updt1", "mock/updt1:latest"));
  }

  // --- the report text ---

  @Test
  void reportItemsAreReadOnlyAfterAReportHeader() {
    String items = "- /app (" + APP + "): 0123456789ab updated to ba9876543210\n";

    assertKinds(read(items)).containsExactly(other());
    assertKinds(read("1 Scanned, 1 Updated, 0 Failed\n" + items))
        .containsExactly(other(), tuple(RECREATED, "app", APP));
  }

  @Test
  void reportFailuresAreVetoesLostNamespacesOrFailedRecreates() {
    assertKinds(
            read(
                "3 Scanned, 0 Updated, 3 Failed\n"
                    + "- /a (x:1): Skipped: Error: No such container: abc\n"
                    + "- /b (x:1): Failed: Error response from daemon: No such container: abc\n"
                    + "- /c (x:1): Failed: Error response from daemon: Cannot join network"
                    + " namespace of a non-running container\n"
                    + "- /d (x:1): Failed: "
                    + "skipping container as the pre-update command returned exit code 75"
                    + " (EX_TEMPFAIL)\n"
                    + "- /f (x:1): Failed: Error response from daemon: driver failed programming"
                    + " external connectivity on endpoint f: Bind for 0.0.0.0:53 failed: port is"
                    + " already allocated\n"
                    + "- /e (x:1): Stale"))
        .containsExactly(
            other(),
            tuple(OTHER, "a", "x:1"),
            tuple(NAMESPACE_LOST, "b", "x:1"),
            tuple(NAMESPACE_LOST, "c", "x:1"),
            tuple(VETOED, "d", "x:1"),
            tuple(RECREATE_FAILED, "f", "x:1"),
            tuple(NEW_IMAGE, "e", "x:1"));
  }

  // --- json.v1 ---

  @Test
  void jsonV1EntriesAreReadOnlyWhenThereIsNoReport() {
    String entries =
        "\"entries\":[{\"data\":{},\"level\":\"info\",\"message\":\"Found new nginx:1.27 image"
            + " (0123456789ab)\"},{\"data\":{},\"level\":\"info\",\"message\":\"Creating"
            + " /app\"},{\"data\":{},\"level\":\"error\",\"message\":\"Error response from daemon:"
            + " No such container: 5f3c\"}]";

    assertKinds(read("{" + entries + ",\"report\":null}"))
        .containsExactly(
            tuple(NEW_IMAGE, "", "nginx:1.27"),
            notice(RECREATED, "app"),
            notice(NAMESPACE_LOST, "app"));
    assertKinds(read("{" + entries + "}")).hasSize(3);
    assertThat(read("{" + entries + ",\"report\":{\"updated\":[]}}")).isEmpty();
  }

  @Test
  void jsonV1EntriesOfTheForkUseTheirFields() {
    assertKinds(
            read(
                "{\"entries\":["
                    + "{\"data\":{\"container\":\"web\",\"image\":\"org/web:1\",\"new_id\":\"aa\"},"
                    + "\"message\":\"Found new image\"},"
                    + "{\"data\":{\"container\":\"web\",\"id\":\"bb\"},"
                    + "\"message\":\"Stopping container\"},"
                    + "{\"data\":{\"container\":\"web\",\"error\":\"No such container: x\"},"
                    + "\"message\":\"Update failed\"},"
                    + "{\"data\":{\"scope\":\"prod\"},\"message\":\"Only checking containers in"
                    + " scope\"},"
                    + "{\"data\":null,\"message\":\"Found new image\"},"
                    + "{\"data\":{},\"message\":null}"
                    + "],\"report\":null}"))
        .containsExactly(
            tuple(NEW_IMAGE, "web", "org/web:1"),
            notice(RECREATED, "web"),
            notice(NAMESPACE_LOST, "web"),
            other(),
            other());
  }

  @Test
  void jsonV1ItemsKeepTheirFieldsAndGiveAReadableText() {
    List<WatchtowerNotice> notices = read(fixture("generic-json-report-failed.json"));

    assertThat(notices.get(0))
        .isEqualTo(
            new WatchtowerNotice(
                NAMESPACE_LOST,
                "app",
                APP,
                "e1477cf97a5f",
                "350f67c939c6",
                "Error response from daemon: cannot join network of a non running container: /vpn",
                "app ("
                    + APP
                    + "): Failed: Error response from daemon: cannot join network of a non"
                    + " running container: /vpn"));
    assertThat(notices.get(1).text()).isEqualTo("db (postgres:16): Fresh");
  }

  @Test
  void jsonV1ListsAreReadInAFixedOrderAndScannedIsNotRepeated() {
    String item = "{\"imageName\":\"i:%1$s\",\"name\":\"/%1$s\"}";
    StringBuilder report = new StringBuilder("{\"report\":{");
    for (String list :
        List.of("failed", "fresh", "restarted", "scanned", "skipped", "stale", "updated")) {
      report.append('"').append(list).append("\":[").append(item.formatted(list)).append("],");
    }
    report.setLength(report.length() - 1);
    report.append("},\"entries\":[{\"message\":\"Creating /ignored\"}]}");

    assertKinds(read(report.toString()))
        .containsExactly(
            listed(RECREATED, "updated"),
            listed(RECREATED, "restarted"),
            listed(RECREATE_FAILED, "failed"),
            listed(NEW_IMAGE, "stale"),
            listed(OTHER, "fresh"),
            listed(OTHER, "skipped"));
  }

  @Test
  void jsonV1ToleratesMissingListsAndUnknownFields() {
    assertKinds(
            read(
                "{\"report\":{\"stale\":[{\"name\":\"app\",\"gitRef\":\"v1\",\"imageName\":7}],"
                    + "\"updated\":null},\"host\":\"h\",\"extra\":{}}"))
        .containsExactly(notice(NEW_IMAGE, "app"));
  }

  // --- the fixture directory ---

  @Test
  void everyFixtureIsListedInTheReadmeAndRead() throws IOException, URISyntaxException {
    Path dir =
        Path.of(WatchtowerHooksEdgeTest.class.getResource("/fixtures/watchtower/README.md").toURI())
            .getParent();
    String readme = Files.readString(dir.resolve("README.md"));
    List<String> tested = WatchtowerHooksTest.fixtures().map(a -> (String) a.get()[0]).toList();
    List<String> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.map(p -> p.getFileName().toString())
              .filter(n -> !n.equals("README.md"))
              .sorted()
              .toList();
    }

    assertThat(files).hasSizeGreaterThanOrEqualTo(16).containsExactlyInAnyOrderElementsOf(tested);
    assertThat(files).allSatisfy(f -> assertThat(readme).contains("`" + f + "`"));
  }

  @Test
  void fixturesHaveWatchtowersFraming() {
    assertThat(text("generic-plain-default-updated.txt")).endsWith("\n").doesNotEndWith("\n\n");
    assertThat(text("generic-plain-report-updated.txt")).doesNotEndWith("\n");
    assertThat(text("nf-plain-legacy-updated.txt")).doesNotEndWith("\n");
    assertThat(text("generic-json-report-updated.json"))
        .startsWith("{\n  \"entries\": [\n")
        .endsWith("\n}");
    assertThat(text("generic-templatejson-jsonv1-report-updated.json"))
        .startsWith("{\"message\":\"{\\n  \\\"entries\\\": [")
        .endsWith("\",\"title\":\"Watchtower updates on docker-host\"}");
    assertThat(text("generic-plain-default-failed.txt")).doesNotContain("\r");
  }

  private static String text(String fixture) {
    return new String(fixture(fixture), UTF_8);
  }

  private List<WatchtowerNotice> read(String body) {
    return read(body.getBytes(UTF_8));
  }

  private List<WatchtowerNotice> read(byte[] body) {
    return hooks.read("application/json", body);
  }

  private static AbstractListAssert<?, List<? extends Tuple>, Tuple, ObjectAssert<Tuple>>
      assertKinds(List<WatchtowerNotice> notices) {
    return assertThat(notices)
        .extracting(WatchtowerNotice::kind, WatchtowerNotice::container, WatchtowerNotice::image);
  }

  /** The notice of a list's one item in a jsonV1 report: named, and imaged, after the list. */
  private static Tuple listed(WatchtowerNotice.Kind kind, String list) {
    return tuple(kind, list, "i:" + list);
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
