package dev.holdfast.trigger;

import static dev.holdfast.testing.Containers.container;
import static dev.holdfast.testing.Containers.holderOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.group.Group;
import dev.holdfast.group.GroupDiscovery;
import dev.holdfast.group.InMemoryGroupMemory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PushMatchTest {

  private final ContainerView holder =
      holderOf("dns", "dns-net")
          .image("127.0.0.1:5055/hf/app:live", "sha256:" + "b".repeat(64))
          .build();

  private List<Group> groups(ContainerView... members) {
    List<ContainerView> all = new java.util.ArrayList<>(List.of(members));
    all.add(holder);
    return GroupDiscovery.discover(all, new InMemoryGroupMemory());
  }

  private ContainerView member(String name, String image) {
    return container(name).in(holder.id()).image(image, "sha256:" + "1".repeat(64)).build();
  }

  @Test
  void selectsMembersWhoseOwnReferenceIsThePushedRepositoryAndTag() {
    List<Group> groups =
        groups(
            member("dns-pdns", "127.0.0.1:5055/hf/app:live"),
            member("dns-other", "127.0.0.1:5055/hf/app:v2"),
            member("dns-hub", "nginx"));

    PushMatch.Result r = PushMatch.match(ImageName.parse("127.0.0.1:5055/HF/app:live"), groups);

    assertThat(r.groups()).isEqualTo(Map.of("dns", Set.of("dns-pdns")));
    assertThat(r.notes())
        .containsExactly(
            "holder of group dns runs 127.0.0.1:5055/hf/app:live; holders are never updated");
  }

  @Test
  void dockerHubNamesMatchHoweverTheyAreWritten() {
    PushMatch.Result r =
        PushMatch.match(
            ImageName.parse("docker.io/library/nginx:latest"), groups(member("web", "nginx")));

    assertThat(r.groups()).containsOnlyKeys("dns");
  }

  @Test
  void membersPinnedByDigestAndOtherHostsAreLeftAlone() {
    String pinned = "127.0.0.1:5055/hf/app@sha256:" + "c".repeat(64);
    PushMatch.Result r =
        PushMatch.match(
            ImageName.parse("127.0.0.1:5055/hf/app:live"),
            groups(member("dns-pin", pinned), member("dns-far", "127.0.0.1:5056/hf/app:live")));

    assertThat(r.groups()).isEmpty();
    assertThat(r.notes())
        .contains("dns-pin is pinned to sha256:" + "c".repeat(64) + "; a push cannot change it");
  }
}
