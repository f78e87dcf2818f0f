package dev.holdfast.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DockerStaleTest {

  @Test
  void onlyLinesWhosePidIsDeadAreStale() {
    long alive = ProcessHandle.current().pid();
    String listing =
        "9400521427b1 "
            + Long.MAX_VALUE
            + "\n" // no such process
            + "cb6f81bbabb9 "
            + alive
            + "\n" // this JVM: never stale
            + "6c254889d211 \n" // label without a value: not ours to judge
            + "\n";
    assertEquals(List.of("9400521427b1"), Docker.staleIds(listing));
  }

  @Test
  void anEmptyListingHasNothingStale() {
    assertEquals(List.of(), Docker.staleIds(""));
  }
}
