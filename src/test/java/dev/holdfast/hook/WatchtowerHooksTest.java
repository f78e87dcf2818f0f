package dev.holdfast.hook;

import static dev.holdfast.trigger.WatchtowerNotice.Kind.NAMESPACE_LOST;
import static dev.holdfast.trigger.WatchtowerNotice.Kind.NEW_IMAGE;
import static dev.holdfast.trigger.WatchtowerNotice.Kind.OTHER;
import static dev.holdfast.trigger.WatchtowerNotice.Kind.RECREATED;
import static dev.holdfast.trigger.WatchtowerNotice.Kind.RECREATE_FAILED;
import static dev.holdfast.trigger.WatchtowerNotice.Kind.VETOED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.holdfast.trigger.WatchtowerNotice;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture under {@code fixtures/watchtower/} (see its README), read with each Content-Type a
 * sender uses, gives exactly these notices. Edge cases are in {@link WatchtowerHooksEdgeTest}.
 */
class WatchtowerHooksTest {

  static final String APP = "127.0.0.1:5055/hf/app:latest";
  static final String DB = "postgres:16";
  static final String VPN = "qmcgaw/gluetun:latest";
  static final String QB = "lscr.io/linuxserver/qbittorrent:latest";

  /** cw sends application/json even for text, nf text/plain; a proxy may drop it. */
  static final List<String> CONTENT_TYPES =
      Arrays.asList("application/json", "text/plain", "text/plain; charset=utf-8", null);

  private final WatchtowerHooks hooks = new WatchtowerHooks();

  static Stream<Arguments> fixtures() {
    Tuple[] startup = {other(), other(), other(), other(), other()};
    Tuple[] legacyUpdated = {
      tuple(NEW_IMAGE, "", APP), notice(RECREATED, "app"), notice(RECREATED, "app"), other()
    };
    Tuple[] legacyHolderApp = {
      tuple(NEW_IMAGE, "", VPN),
      notice(RECREATED, "qbittorrent"),
      notice(RECREATED, "vpn"),
      notice(RECREATED, "vpn"),
      notice(RECREATED, "qbittorrent"),
      other()
    };
    Tuple[] jsonUpdated = {tuple(RECREATED, "app", APP), tuple(OTHER, "db", DB)};
    Tuple[] reportUpdated = report(jsonUpdated);
    Tuple[] jsonHolderApp = {tuple(RECREATED, "vpn", VPN), tuple(OTHER, "qbittorrent", QB)};
    Tuple[] jsonRestarted = {
      tuple(RECREATED, "vpn", VPN), tuple(RECREATED, "qbittorrent", QB), tuple(OTHER, "db", DB)
    };
    Tuple[] vetoedJson = {tuple(VETOED, "app", APP), tuple(OTHER, "db", DB)};
    Tuple[] vetoedReport = {other(), tuple(OTHER, "db", DB), tuple(VETOED, "app", APP)};
    Tuple[] holderPortJson = {
      tuple(RECREATE_FAILED, "vpn", VPN), tuple(OTHER, "qbittorrent", QB), tuple(OTHER, "db", DB)
    };
    Tuple[] holderPortReport = {
      other(),
      tuple(OTHER, "qbittorrent", QB),
      tuple(OTHER, "db", DB),
      tuple(RECREATE_FAILED, "vpn", VPN)
    };
    return Stream.of(
        // the original, containrrr v1.7.1 with shoutrrr v0.8.0
        arguments("generic-plain-startup.txt", startup),
        arguments("generic-plain-api-triggered.txt", other()),
        arguments("generic-plain-default-updated.txt", legacyUpdated),
        arguments("generic-plain-default-holder-app.txt", legacyHolderApp),
        arguments(
            "generic-plain-default-failed.txt",
            tuple(NEW_IMAGE, "", APP),
            notice(RECREATED, "app"),
            notice(RECREATED, "app"),
            notice(NAMESPACE_LOST, "app")),
        arguments("generic-plain-default-monitor-only.txt", tuple(NEW_IMAGE, "", APP)),
        arguments("generic-plain-report-updated.txt", reportUpdated),
        arguments("generic-plain-report-holder-app.txt", report(jsonHolderApp)),
        arguments(
            "generic-plain-report-failed.txt",
            other(),
            tuple(OTHER, "db", DB),
            tuple(NAMESPACE_LOST, "app", APP)),
        arguments("generic-json-report-updated.json", jsonUpdated),
        arguments("generic-json-report-holder-app.json", jsonHolderApp),
        arguments(
            "generic-json-report-failed.json",
            tuple(NAMESPACE_LOST, "app", APP),
            tuple(OTHER, "db", DB)),
        arguments("generic-json-report-failed-pre-update-75.json", vetoedJson),
        arguments("generic-templatejson-jsonv1-report-failed-pre-update-75.json", vetoedJson),
        arguments("generic-plain-report-failed-pre-update-75.txt", vetoedReport),
        arguments("generic-json-report-failed-pre-update-1.json", vetoedJson),
        // the hook's error names no container; "Found new" names the image; the skip is unnamed
        arguments(
            "generic-plain-default-failed-pre-update-1.txt",
            tuple(NEW_IMAGE, "", APP),
            other(),
            other(),
            other(),
            notice(VETOED, "")),
        arguments("generic-json-report-failed-holder-port.json", holderPortJson),
        arguments("generic-plain-report-failed-holder-port.txt", holderPortReport),
        arguments(
            "generic-plain-default-failed-holder-port.txt",
            tuple(NEW_IMAGE, "", VPN),
            notice(RECREATED, "qbittorrent"),
            notice(RECREATED, "vpn"),
            notice(RECREATED, "vpn"),
            notice(RECREATE_FAILED, "vpn"),
            notice(RECREATED, "qbittorrent"),
            notice(NAMESPACE_LOST, "qbittorrent")),
        arguments(
            "generic-json-report-monitor-only.json",
            tuple(NEW_IMAGE, "app", APP),
            tuple(OTHER, "db", DB)),
        arguments(
            "generic-json-report-nothing.json", tuple(OTHER, "app", APP), tuple(OTHER, "db", DB)),
        arguments("generic-json-startup.json", startup),
        arguments("generic-json-api-triggered.json", other()),
        arguments("generic-templatejson-default-updated.json", legacyUpdated),
        arguments("generic-templatejson-report-updated.json", reportUpdated),
        arguments("generic-templatejson-jsonv1-report-updated.json", jsonUpdated),
        arguments("generic-templatejson-startup.json", startup),
        // the fork, nicholas-fedor/watchtower
        arguments("nf-plain-legacy-updated.txt", legacyUpdated),
        arguments("nf-plain-legacy-holder-app.txt", legacyHolderApp),
        arguments(
            "nf-plain-legacy-failed.txt",
            tuple(NEW_IMAGE, "", APP),
            notice(RECREATED, "app"),
            notice(NAMESPACE_LOST, "app")),
        arguments("nf-report-updated.txt", reportUpdated),
        arguments("nf-report-restarted.txt", report(jsonRestarted)),
        arguments("nf-json-report-restarted.json", jsonRestarted),
        arguments("nf-json-report-failed-pre-update-75.json", vetoedJson),
        arguments("nf-report-failed-pre-update-75.txt", vetoedReport),
        arguments("nf-json-report-failed-holder-port.json", holderPortJson),
        arguments("nf-report-failed-holder-port.txt", holderPortReport));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void readsTheFixtureWithEveryContentType(String fixture, Tuple[] expected) {
    byte[] body = fixture(fixture);
    for (String contentType : CONTENT_TYPES) {
      List<WatchtowerNotice> notices = hooks.read(contentType, body);

      assertThat(notices)
          .as("%s as %s", fixture, contentType)
          .extracting(WatchtowerNotice::kind, WatchtowerNotice::container, WatchtowerNotice::image)
          .containsExactly(expected);
      assertThat(notices).allSatisfy(n -> assertThat(n.text()).isNotBlank());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void namesNeverKeepDockersLeadingSlash(String fixture, Tuple[] expected) {
    assertThat(hooks.read("application/json", fixture(fixture)))
        .allSatisfy(n -> assertThat(n.container()).doesNotStartWith("/"));
  }

  private static Arguments arguments(String fixture, Tuple... expected) {
    return Arguments.of(fixture, expected);
  }

  /** The report text: its header line ("1 Scanned, ..."), then these items. */
  private static Tuple[] report(Tuple... items) {
    return Stream.concat(Stream.of(other()), Arrays.stream(items)).toArray(Tuple[]::new);
  }

  /** A notice without an image, as most lines give: its kind and container (may be empty). */
  static Tuple notice(WatchtowerNotice.Kind kind, String container) {
    return tuple(kind, container, "");
  }

  static Tuple other() {
    return notice(OTHER, "");
  }

  static byte[] fixture(String name) {
    try (InputStream in =
        WatchtowerHooksTest.class.getResourceAsStream("/fixtures/watchtower/" + name)) {
      assertThat(in).as("fixture %s", name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
