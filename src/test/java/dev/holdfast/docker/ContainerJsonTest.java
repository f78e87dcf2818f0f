package dev.holdfast.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.engine.ContainerView;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContainerJsonTest {

  @Test
  void readsARecordedInspectAnswer() throws IOException {
    ContainerView view;
    try (InputStream in = getClass().getResourceAsStream("/fixtures/engine/container-app.json")) {
      view = ContainerJson.view(new ObjectMapper().readTree(in));
    }

    assertThat(view.name()).isEqualTo("fixture-app");
    assertThat(view.image()).isEqualTo("127.0.0.1:5055/hf/app:live");
    assertThat(view.imageId()).startsWith("sha256:");
    assertThat(view.state()).isEqualTo("running");
    assertThat(view.health()).isPresent();
    assertThat(view.namespaceRef()).hasValueSatisfying(ref -> assertThat(ref).hasSize(64));
    assertThat(view.startedAt()).isAfter(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(view.labels()).containsEntry("team", "dns");
  }

  @Test
  void neverStartedIsTheEpoch() {
    assertThat(ContainerJson.instant("0001-01-01T00:00:00Z")).isEqualTo(Instant.EPOCH);
    assertThat(ContainerJson.instant("2026-11-28T08:46:37.658638354Z"))
        .isEqualTo(Instant.parse("2026-11-28T08:46:37.658638354Z"));
  }
}
