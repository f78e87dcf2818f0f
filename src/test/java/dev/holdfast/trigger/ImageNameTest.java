package dev.holdfast.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageNameTest {

  @ParameterizedTest
  @CsvSource({
    "nginx, docker.io/library/nginx:latest",
    "library/nginx, docker.io/library/nginx:latest",
    "docker.io/library/nginx:1.27, docker.io/library/nginx:1.27",
    "index.docker.io/library/nginx, docker.io/library/nginx:latest",
    "registry-1.docker.io/library/nginx:1, docker.io/library/nginx:1",
    "powerdns/pdns-auth-49, docker.io/powerdns/pdns-auth-49:latest",
    "127.0.0.1:5055/hf/app:live, 127.0.0.1:5055/hf/app:live",
    "localhost/app, localhost/app:latest",
    "localhost:5000/team/app:V2, localhost:5000/team/app:V2",
    "GHCR.IO/Owner/App:1.0, ghcr.io/owner/app:1.0",
    "quay.io/coreos/etcd@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef,"
        + " quay.io/coreos/etcd@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
  })
  void normalizesTheWayTheEngineResolves(String reference, String normalized) {
    assertThat(ImageName.parse(reference).toString()).isEqualTo(normalized);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "app:",
        "app:sha256:abc",
        "app@sha256:zz",
        "a b",
        "app:tag\n",
        "Repo_/x",
        "/app",
        "reg.test//app"
      })
  void refusesWhatIsNotAReference(String reference) {
    assertThatThrownBy(() -> ImageName.parse(reference))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"1.4.2, true", "latest, true", "sha256:abcd, false", "a/b, false", "'', false"})
  void tellsTagsFromDigests(String text, boolean tag) {
    assertThat(ImageName.isTag(text)).isEqualTo(tag);
  }

  @ParameterizedTest
  @CsvSource({
    "nginx, docker.io/library/nginx:1.27, true",
    "127.0.0.1:5055/hf/app:live, 127.0.0.1:5055/hf/app:v2, true",
    "127.0.0.1:5055/hf/app, 127.0.0.1:5056/hf/app, false",
    "hf/app, 127.0.0.1:5055/hf/app, false",
  })
  void repositoriesCompareWithoutTheirTags(String a, String b, boolean same) {
    assertThat(ImageName.parse(a).sameRepository(ImageName.parse(b))).isEqualTo(same);
  }
}
