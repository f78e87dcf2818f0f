package dev.holdfast.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Against birdc -v output recorded from BIRD 2.0.12 (fixtures/bird, see INDEX.tsv). */
class BirdReplyTest {

  private static BirdReply fixture(String name) throws IOException {
    try (InputStream in = BirdReplyTest.class.getResourceAsStream("/fixtures/bird/" + name)) {
      return BirdReply.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void readsProtocolsWithTheirState() throws IOException {
    BirdReply r = fixture("router-show-protocols.txt");

    assertThat(r.error()).isEmpty();
    assertThat(r.protocols())
        .containsExactly(
            new BirdReply.Protocol("device1", "Device", "up", ""),
            new BirdReply.Protocol("anycast4", "Static", "up", ""),
            new BirdReply.Protocol("upstream", "BGP", "up", "Established"));
    assertThat(fixture("router-show-protocols-after-disable.txt").protocols())
        .contains(new BirdReply.Protocol("anycast4", "Static", "down", ""));
  }

  @Test
  void readsASessionThatIsDown() throws IOException {
    assertThat(fixture("peer-show-protocols-session-down.txt").protocols())
        .contains(
            new BirdReply.Protocol(
                "downstream", "BGP", "start", "Active        Received: Administrative shutdown"));
  }

  @Test
  void readsRoutePrefixesIncludingOnesWithNextHops() throws IOException {
    assertThat(fixture("router-show-route-export-upstream.txt").prefixes())
        .containsExactly("192.0.2.53/32");
    assertThat(fixture("peer-show-route.txt").prefixes()).containsExactly("192.0.2.53/32");
    assertThat(fixture("router-show-route-export-upstream-after-disable.txt").prefixes()).isEmpty();
  }

  @Test
  void disableAndEnableAnswerWithTheirCodesAlreadyIncluded() throws IOException {
    assertThat(fixture("router-disable-anycast4-1.txt").has(9)).isTrue();
    assertThat(fixture("router-disable-anycast4-2.txt").has(8)).isTrue();
    assertThat(fixture("router-enable-anycast4.txt").has(11)).isTrue();
    assertThat(fixture("router-enable-anycast4-2.txt").has(10)).isTrue();
    assertThat(fixture("router-enable-anycast4-2.txt").error()).isEmpty();
  }

  @Test
  void errorsAreFoundByCodeWhateverTheExitStatus() throws IOException {
    assertThat(fixture("router-disable-nosuch.txt").error())
        .hasValueSatisfying(l -> assertThat(l.code()).isEqualTo(9001));
    assertThat(
            BirdReply.parse("Unable to connect to server control socket (/run/bird/bird.ctl)\n")
                .error())
        .hasValueSatisfying(l -> assertThat(l.text()).contains("Unable to connect"));
  }
}
