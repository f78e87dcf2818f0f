package dev.holdfast.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WatchtowerMatchTest {

  private static final String DIGEST_A =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  private static final String DIGEST_B =
      "sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
    // no explicit tag: any tag of the same normalized repository
    "foo/bar, foo/bar:latest, true",
    "foo/bar, foo/bar:1.0, true",
    "foo/bar, docker.io/foo/bar:2, true",
    "nginx, docker.io/library/nginx:1.27, true",
    "nginx, index.docker.io/library/nginx, true",
    "library/nginx, nginx:1.27, true",
    "docker.io/library/nginx, nginx:mainline, true",
    "localhost:5000/x, localhost:5000/x:latest, true",
    "localhost:5000/x, localhost:5000/x:v2, true",
    "127.0.0.1:5055/hf/app, 127.0.0.1:5055/hf/app:live, true",
    "127.0.0.1:5055/hf/app, 127.0.0.1:5055/hf/app:latest, true",
    "GHCR.IO/Owner/App, ghcr.io/owner/app:1.0, true",
    // explicit tag: only that tag
    "foo/bar:1.0, foo/bar:1.0, true",
    "nginx:1.27, docker.io/library/nginx:1.27, true",
    "nginx:latest, nginx, true",
    "localhost:5000/x:v2, localhost:5000/x:v2, true",
    "127.0.0.1:5055/hf/app:live, 127.0.0.1:5055/hf/app:live, true",
    // no match
    "foo/bar, foo/baz:latest, false",
    "foo/bar, other.io/foo/bar:latest, false",
    "foo/bar, foo/bar/sub:latest, false",
    "nginx, docker.io/someone/nginx:1.27, false",
    "nginx, ghcr.io/library/nginx:1.27, false",
    "foo/bar:1.0, foo/bar:1.1, false",
    "foo/bar:1.0, foo/bar:latest, false",
    "nginx:latest, nginx:1.27, false",
    "nginx:1.27, nginx, false",
    "localhost:5000/x, localhost:5001/x:latest, false",
    "localhost:5000/x, localhost/x:latest, false",
    "localhost:5000/x:v2, localhost:5000/x:v3, false",
    "127.0.0.1:5055/hf/app, 127.0.0.1:5055/hf/app2:latest, false",
    "127.0.0.1:5055/hf/app:live, 127.0.0.1:5055/hf/app:Live, false",
  })
  void matchesOnlyItsRepositoryAndTag(String filter, String image, boolean matches) {
    assertThat(WatchtowerMatch.matches(filter, ImageName.parse(image))).isEqualTo(matches);
  }

  @Test
  void aDigestFilterMatchesOnlyThatDigest() {
    ImageName pinnedA = ImageName.parse("quay.io/coreos/etcd@" + DIGEST_A);
    ImageName pinnedB = ImageName.parse("quay.io/coreos/etcd@" + DIGEST_B);
    ImageName tagged = ImageName.parse("quay.io/coreos/etcd:v3.5");

    assertThat(WatchtowerMatch.matches("quay.io/coreos/etcd@" + DIGEST_A, pinnedA)).isTrue();
    assertThat(WatchtowerMatch.matches("quay.io/coreos/etcd:v3.5@" + DIGEST_A, pinnedA)).isTrue();
    assertThat(WatchtowerMatch.matches("quay.io/coreos/etcd@" + DIGEST_A, pinnedB)).isFalse();
    assertThat(WatchtowerMatch.matches("quay.io/coreos/etcd@" + DIGEST_A, tagged)).isFalse();
    assertThat(WatchtowerMatch.matches("quay.io/other/etcd@" + DIGEST_A, pinnedA)).isFalse();
    assertThat(WatchtowerMatch.matches("localhost:5000/x@" + DIGEST_A, pinnedA)).isFalse();
  }

  @Test
  void aFilterWithoutTagMatchesAPinnedImageOfTheRepository() {
    ImageName pinned = ImageName.parse("quay.io/coreos/etcd@" + DIGEST_A);

    assertThat(WatchtowerMatch.matches("quay.io/coreos/etcd", pinned)).isTrue();
    assertThat(WatchtowerMatch.matches("quay.io/coreos/etcd:latest", pinned)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "foo/bar:",
        "Foo_/bar",
        "foo bar",
        "foo/bar@sha256:zz",
        "/foo",
        " nginx",
        "a,b"
      })
  void aBadFilterIsRefused(String filter) {
    ImageName image = ImageName.parse("nginx");

    assertThatThrownBy(() -> WatchtowerMatch.matches(filter, image))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aNullFilterIsRefused() {
    assertThatThrownBy(() -> WatchtowerMatch.matches(null, ImageName.parse("nginx")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void splitsRepeatedAndCommaSeparatedValues() {
    assertThat(
            WatchtowerMatch.splitFilters(
                List.of("foo/bar,foo/baz", " nginx:1.27 ", "localhost:5000/x , ,", "")))
        .containsExactly("foo/bar", "foo/baz", "nginx:1.27", "localhost:5000/x");
  }

  @Test
  void splitKeepsOrderAndRepeats() {
    assertThat(WatchtowerMatch.splitFilters(List.of("b,a", "a"))).containsExactly("b", "a", "a");
  }

  @Test
  void splitOfNothingIsEmpty() {
    assertThat(WatchtowerMatch.splitFilters(null)).isEmpty();
    assertThat(WatchtowerMatch.splitFilters(List.of())).isEmpty();
    assertThat(WatchtowerMatch.splitFilters(Arrays.asList(null, ",", " , "))).isEmpty();
  }

  @Test
  void splitThenMatchSelectsTheWantedImages() {
    List<String> filters =
        WatchtowerMatch.splitFilters(List.of("nginx,127.0.0.1:5055/hf/app:live", "redis:7"));
    ImageName app = ImageName.parse("127.0.0.1:5055/hf/app:live");
    ImageName otherTag = ImageName.parse("127.0.0.1:5055/hf/app:canary");
    ImageName web = ImageName.parse("docker.io/library/nginx:1.27");

    assertThat(filters.stream().anyMatch(f -> WatchtowerMatch.matches(f, app))).isTrue();
    assertThat(filters.stream().anyMatch(f -> WatchtowerMatch.matches(f, otherTag))).isFalse();
    assertThat(filters.stream().anyMatch(f -> WatchtowerMatch.matches(f, web))).isTrue();
  }
}
