package dev.holdfast.hook;

import static dev.holdfast.hook.WatchtowerHooksTest.APP;
import static dev.holdfast.hook.WatchtowerHooksTest.VPN;
import static dev.holdfast.hook.WatchtowerHooksTest.fixture;
import static dev.holdfast.trigger.WatchtowerNotice.Kind.NAMESPACE_LOST;
import static dev.holdfast.trigger.WatchtowerNotice.Kind.NEW_IMAGE;
import static dev.holdfast.trigger.WatchtowerNotice.Kind.OTHER;
import static dev.holdfast.trigger.WatchtowerNotice.Kind.RECREATED;
import static dev.holdfast.trigger.WatchtowerNotice.Kind.RECREATE_FAILED;
import static dev.holdfast.trigger.WatchtowerNotice.Kind.VETOED;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.holdfast.trigger.WatchtowerNotice;
import dev.holdfast.trigger.WatchtowerNotice.Kind;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Containers Watchtower lists as failed (issue 9, point 3): a veto of the pre-update hook, or a
 * failed recreate, in every format that carries one, with the ids and error kept.
 */
class WatchtowerFailedItemsTest {

  private final WatchtowerHooks hooks = new WatchtowerHooks();

  /** The failed item of each fixture that has one: kind, container, ids, error. */
  static Stream<Arguments> failedItems() {
    String cw75 =
        "skipping container as the pre-update command returned exit code 75 (EX_TEMPFAIL)";
    String nf75 = "skipping container due to pre-update command exit code 75 (EX_TEMPFAIL)";
    String port =
        "Error response from daemon: driver failed programming external connectivity on endpoint"
            + " vpn (19933a1bb262): Bind for 0.0.0.0:8080 failed: port is already allocated";
    return Stream.of(
        Arguments.of(
            "generic-json-report-failed-pre-update-75.json",
            VETOED,
            "app",
            "e1477cf97a5f",
            "350f67c939c6",
            cw75),
        Arguments.of(
            "generic-templatejson-jsonv1-report-failed-pre-update-75.json",
            VETOED,
            "app",
            "e1477cf97a5f",
            "350f67c939c6",
            cw75),
        Arguments.of("generic-plain-report-failed-pre-update-75.txt", VETOED, "app", "", "", cw75),
        Arguments.of(
            "generic-json-report-failed-pre-update-1.json",
            VETOED,
            "app",
            "e1477cf97a5f",
            "350f67c939c6",
            "command exited with code 1  maintenance window closed"),
        Arguments.of(
            "nf-json-report-failed-pre-update-75.json",
            VETOED,
            "app",
            "e1477cf97a5f",
            "350f67c939c6",
            nf75),
        Arguments.of("nf-report-failed-pre-update-75.txt", VETOED, "app", "", "", nf75),
        Arguments.of(
            "generic-json-report-failed-holder-port.json",
            RECREATE_FAILED,
            "vpn",
            "2cf45b274f2f",
            "abdc55164eb1",
            port),
        Arguments.of(
            "generic-plain-report-failed-holder-port.txt", RECREATE_FAILED, "vpn", "", "", port),
        Arguments.of(
            "nf-json-report-failed-holder-port.json",
            RECREATE_FAILED,
            "vpn",
            "2cf45b274f2f",
            "abdc55164eb1",
            "failed to start container: " + port),
        Arguments.of(
            "nf-report-failed-holder-port.txt",
            RECREATE_FAILED,
            "vpn",
            "",
            "",
            "failed to start container: " + port));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failedItems")
  void aFailedItemKeepsItsIdsAndError(
      String fixture, Kind kind, String container, String current, String latest, String error) {
    List<WatchtowerNotice> failed =
        hooks.read("application/json", fixture(fixture)).stream()
            .filter(n -> n.kind() == kind)
            .toList();

    assertThat(failed)
        .extracting(
            WatchtowerNotice::container,
            WatchtowerNotice::currentImageId,
            WatchtowerNotice::latestImageId,
            WatchtowerNotice::error)
        .containsExactly(tuple(container, current, latest, error));
    assertThat(failed.get(0).newerImage()).isTrue();
    assertThat(failed.get(0).text()).contains("Failed: " + error);
  }

  /** Watchtower's failure texts, original (cw) and fork (nf), and what each means. */
  static Stream<Arguments> errors() {
    return Stream.of(
            mean(
                VETOED,
                "skipping container as the pre-update command returned exit code 75 (EX_TEMPFAIL)",
                "skipping container due to pre-update command exit code 75 (EX_TEMPFAIL)",
                "command exited with code 1  boom",
                "command exited with code 137  ",
                "pre-update command failed: pre-update command execution failed for container app:"
                    + " command execution failed with exit code 2: nope",
                "context deadline exceeded"),
            mean(
                RECREATE_FAILED,
                "Error response from daemon: driver failed programming external connectivity on"
                    + " endpoint app: Bind for 0.0.0.0:53 failed: port is already allocated",
                "container /app (0123456789ab) could not be removed",
                "failed to create container: Error response from daemon: Conflict.",
                ""),
            mean(
                NAMESPACE_LOST,
                "Error response from daemon: No such container: 0123456789ab",
                "failed to start container: Error response from daemon: cannot join network of a non"
                    + " running container: 0123456789ab",
                // the hook's exec found its container gone:
                // the group needs a heal more than an update
                "pre-update command failed: Error response from daemon: No such container: app"))
        .flatMap(errors -> errors);
  }

  /** Each error, with the kind it means. */
  private static Stream<Arguments> mean(Kind kind, String... errors) {
    return Stream.of(errors).map(error -> Arguments.of(error, kind));
  }

  @ParameterizedTest(name = "[{index}] {1}: {0}")
  @MethodSource("errors")
  void jsonV1AndTheReportTextReadAFailureAlike(String error, Kind kind) {
    String item =
        "{\"currentImageId\":\"e1477cf97a5f\",\"error\":"
            + quote(error)
            + ",\"id\":\"4552b2db5df1\",\"imageName\":\"x:1\",\"latestImageId\":\"350f67c939c6\","
            + "\"name\":\"/app\",\"state\":\"Failed\"}";
    String text = "1 Scanned, 0 Updated, 1 Failed\n- /app (x:1): Failed: " + error;

    assertThat(read("{\"report\":{\"failed\":[" + item + "]}}"))
        .extracting(WatchtowerNotice::kind, WatchtowerNotice::container, WatchtowerNotice::error)
        .containsExactly(tuple(kind, "app", error));
    assertThat(read(text).get(1))
        .extracting(WatchtowerNotice::kind, WatchtowerNotice::container, WatchtowerNotice::error)
        .containsExactly(kind, "app", error.strip());
  }

  @Test
  void equalImageIdsMeanNoNewerImageAndMissingOrForeignIdsAreUnknown() {
    String veto =
        "skipping container as the pre-update command returned exit code 75 (EX_TEMPFAIL)";
    String item =
        "{\"currentImageId\":%s,\"error\":\"" + veto + "\",\"latestImageId\":%s,\"name\":\"/app\"}";

    WatchtowerNotice equal = failed(item.formatted("\"abc\"", "\"abc\""));
    WatchtowerNotice missing = failed(item.formatted("null", "null"));
    WatchtowerNotice foreign = failed(item.formatted("\"$(rm -rf /)\"", "\"sha256:ABC\""));
    WatchtowerNotice full = failed(item.formatted("\"sha256:" + "a".repeat(64) + "\"", "\"b\""));

    assertThat(equal.newerImage()).isFalse();
    assertThat(missing.newerImage()).isTrue();
    assertThat(List.of(missing, foreign))
        .allSatisfy(n -> assertThat(n.currentImageId() + n.latestImageId()).isEmpty());
    assertThat(full.currentImageId()).isEqualTo("a".repeat(64));
    assertThat(full.newerImage()).isTrue();
  }

  @Test
  void legacyLinesNeverShowTheExit75SkipOnlyTheNewImage() {
    // The exit-75 skip is logged at debug (cw update.go:163, nf update.go:1733): the legacy body of
    // a vetoed stale app is the monitor-only one, and "Found new" selects the members that run it.
    assertThat(hooks.read("text/plain", fixture("generic-plain-default-monitor-only.txt")))
        .extracting(WatchtowerNotice::kind, WatchtowerNotice::container, WatchtowerNotice::image)
        .containsExactly(tuple(NEW_IMAGE, "", APP));
  }

  @Test
  void anErrorEntryAfterCreatingIsThatContainersFailedRecreateButAPostUpdateHookErrorIsNot() {
    String entries =
        "{\"entries\":["
            + entry("info", "Creating /vpn")
            + ","
            + entry("error", "Bind for 0.0.0.0:8080 failed: port is already allocated")
            + ","
            + entry("info", "Creating /app")
            + ","
            + entry("error", "command exited with code 1  post-update said no")
            + ","
            + entry("error", "Bind for 0.0.0.0:9090 failed: port is already allocated")
            + "],\"report\":null}";

    assertThat(read(entries))
        .extracting(WatchtowerNotice::kind, WatchtowerNotice::container, WatchtowerNotice::error)
        .containsExactly(
            tuple(RECREATED, "vpn", ""),
            tuple(
                RECREATE_FAILED, "vpn", "Bind for 0.0.0.0:8080 failed: port is already allocated"),
            tuple(RECREATED, "app", ""),
            tuple(OTHER, "", ""),
            tuple(OTHER, "", ""));
  }

  @Test
  void theForksFailedStopNamesItsContainerInItsFields() {
    String error = "Error response from daemon: cannot stop container: app: permission denied";
    String json =
        "{\"entries\":[{\"data\":{\"container\":\"app\",\"error\":"
            + quote(error)
            + ",\"image\":\"x:1\"},\"level\":\"error\",\"message\":\"Failed to stop container\"}],"
            + "\"report\":null}";
    String legacy = "Failed to stop container | container=app error=" + error + " image=x:1 ";

    assertThat(List.of(read(json).get(0), read(legacy).get(0)))
        .extracting(WatchtowerNotice::kind, WatchtowerNotice::container, WatchtowerNotice::error)
        .containsExactly(
            tuple(RECREATE_FAILED, "app", error), tuple(RECREATE_FAILED, "app", error));
  }

  @Test
  void aFailedHolderRecreateInLegacyLinesNamesTheHolder() {
    List<WatchtowerNotice> notices =
        hooks.read("text/plain", fixture("generic-plain-default-failed-holder-port.txt"));

    assertThat(notices)
        .filteredOn(n -> n.kind() == RECREATE_FAILED)
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.container()).isEqualTo("vpn");
              assertThat(n.error()).endsWith("port is already allocated");
            });
    assertThat(notices.get(0).image()).isEqualTo(VPN);
  }

  private WatchtowerNotice failed(String item) {
    return read("{\"report\":{\"failed\":[" + item + "]}}").get(0);
  }

  private static String entry(String level, String message) {
    return "{\"data\":{},\"level\":\"" + level + "\",\"message\":" + quote(message) + "}";
  }

  private List<WatchtowerNotice> read(String body) {
    return hooks.read("application/json", body.getBytes(UTF_8));
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
