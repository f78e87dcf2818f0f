package dev.holdfast.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageRefTest {

  @Test
  void splitsRegistryWithPortFromTag() {
    ImageRef r = ImageRef.parse("127.0.0.1:5000/team/app:live");

    assertThat(r.repository()).isEqualTo("127.0.0.1:5000/team/app");
    assertThat(r.tag()).isEqualTo("live");
    assertThat(r.toString()).isEqualTo("127.0.0.1:5000/team/app:live");
  }

  @Test
  void defaultsToLatestButNotNextToADigest() {
    assertThat(ImageRef.parse("127.0.0.1:5000/app").tag()).isEqualTo("latest");
    ImageRef pinned = ImageRef.parse("app@sha256:abc");
    assertThat(pinned.tag()).isEmpty();
    assertThat(pinned.digest()).isEqualTo("sha256:abc");
    assertThat(pinned.toString()).isEqualTo("app@sha256:abc");
  }

  @Test
  void refusesWhatIsNoReference() {
    assertThatThrownBy(() -> ImageRef.parse("a b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImageRef.parse("")).isInstanceOf(IllegalArgumentException.class);
  }
}
