package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link TestNet} decides without an engine: stale firewall rules, subnet overlaps. */
class TestNetTest {

  /** As {@code iptables -S DOCKER-USER} printed it here (iptables 1.8.9, quotes and all). */
  static final String CHAIN =
      """
      -N DOCKER-USER
      -A DOCKER-USER -i hfn1a2b3c -o hfn1a2b3c -m comment --comment "hfit-net:hfn1a2b3c:4242" -j ACCEPT
      -A DOCKER-USER -i hfn9f9f9f -o hfn9f9f9f -m comment --comment "hfit-net:hfn9f9f9f:7" -j ACCEPT
      -A DOCKER-USER -s 203.0.113.16/28 -d 192.0.2.53/32 -i hffl12345678 -o hffl12345678 -m comment --comment "hfit-fleet:12345678:4242" -j ACCEPT
      -A DOCKER-USER -i hfsf82865 -o hfsf82865 -j ACCEPT
      -A DOCKER-USER -j RETURN
      """;

  @Test
  void onlyMarkedRulesOfDeadJvmsAreDeletedEachAsItWasListed() {
    List<List<String>> deletes = TestNet.staleRuleDeletes(CHAIN, pid -> pid == 7);

    assertThat(deletes)
        .containsExactly(
            List.of(
                "iptables",
                "-D",
                "DOCKER-USER",
                "-i",
                "hfn1a2b3c",
                "-o",
                "hfn1a2b3c",
                "-m",
                "comment",
                "--comment",
                "hfit-net:hfn1a2b3c:4242",
                "-j",
                "ACCEPT"),
            List.of(
                "iptables",
                "-D",
                "DOCKER-USER",
                "-s",
                "203.0.113.16/28",
                "-d",
                "192.0.2.53/32",
                "-i",
                "hffl12345678",
                "-o",
                "hffl12345678",
                "-m",
                "comment",
                "--comment",
                "hfit-fleet:12345678:4242",
                "-j",
                "ACCEPT"));
  }

  @Test
  void rulesOfLiveJvmsAndUnmarkedRulesStay() {
    assertThat(TestNet.staleRuleDeletes(CHAIN, pid -> true)).isEmpty();
    assertThat(TestNet.staleRuleDeletes("-N DOCKER-USER\n-A DOCKER-USER -j RETURN\n", pid -> false))
        .isEmpty();
  }

  @Test
  void candidatesNeverCoverTheAnycastPrefix() {
    assertThat(TestNet.candidates()).noneMatch(c -> TestNet.overlaps(c, SeedGroup.PREFIX4));
    assertThat(TestNet.overlaps("192.0.2.0/24", "192.0.2.16/28")).isTrue();
    assertThat(TestNet.overlaps("192.0.2.0/28", "192.0.2.16/28")).isFalse();
  }
}
