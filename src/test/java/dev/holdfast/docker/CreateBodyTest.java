package dev.holdfast.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.engine.CreateRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Against inspect JSON recorded from a real engine (fixtures/engine, Docker 20.10): a member in
 * container: mode; the cases outside that mode set the network mode and identity on it.
 */
class CreateBodyTest {

  private static final String NEW_HOLDER = "container:" + "f".repeat(64);
  private final ObjectMapper json = new ObjectMapper();

  private JsonNode fixture(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/fixtures/engine/" + name)) {
      return json.readTree(in);
    }
  }

  private ObjectNode body(Map<String, String> labels) throws IOException {
    return CreateBody.build(
        fixture("container-app.json"),
        fixture("image-app.json"),
        new CreateRequest("src", "app.new", "127.0.0.1:5055/hf/app:live", NEW_HOLDER, labels));
  }

  @Test
  void keepsWhatTheUserConfigured() throws IOException {
    ObjectNode body = body(Map.of());

    // PATH was set on the container to something else than the image's PATH: the user's choice
    assertThat(body.path("Env").toString())
        .isEqualTo("[\"OWN=1\",\"PATH=/usr/sbin:/usr/bin:/sbin:/bin\"]");
    assertThat(body.path("User").asText()).isEqualTo("0:0");
    assertThat(body.path("WorkingDir").asText()).isEqualTo("/www");
    assertThat(body.path("StopSignal").asText()).isEqualTo("SIGQUIT");
    assertThat(body.path("StopTimeout").asInt()).isEqualTo(7);
    assertThat(body.path("Healthcheck").path("Interval").asLong()).isEqualTo(2_000_000_000L);
    assertThat(body.path("Labels").path("team").asText()).isEqualTo("dns");
    JsonNode host = body.path("HostConfig");
    assertThat(host.path("CapAdd").toString()).contains("NET_ADMIN");
    assertThat(host.path("CapDrop").toString()).contains("MKNOD");
    assertThat(host.path("Sysctls").path("net.ipv4.ip_unprivileged_port_start").asText())
        .isEqualTo("53");
    assertThat(host.path("Ulimits").toString())
        .contains("nofile")
        .contains("4096")
        .contains("8192");
    assertThat(host.path("LogConfig").path("Config").path("max-size").asText()).isEqualTo("1m");
    assertThat(host.path("RestartPolicy").path("Name").asText()).isEqualTo("unless-stopped");
    assertThat(host.path("Binds").toString()).contains("/tmp:/host-tmp:ro");
    assertThat(host.path("Devices").toString()).contains("/dev/hf-null");
    assertThat(host.path("Tmpfs").path("/run").asText()).isEqualTo("size=1m");
  }

  @Test
  void dropsWhatTheOldImageSuppliedSoTheNewImageDefaultsApply() throws IOException {
    ObjectNode body = body(Map.of());

    assertThat(body.has("Cmd")).as("Cmd came from the image").isFalse();
    assertThat(body.has("Entrypoint")).as("Entrypoint came from the image").isFalse();
    assertThat(body.path("Labels").has("holdfast.test")).isFalse();
    assertThat(body.path("Labels").has("holdfast.test.hash")).isFalse();
  }

  @Test
  void joinsTheCurrentHolderAndDropsWhatConflictsWithASharedNamespace() throws IOException {
    ObjectNode body = body(Map.of());

    assertThat(body.path("HostConfig").path("NetworkMode").asText()).isEqualTo(NEW_HOLDER);
    assertThat(body.has("Hostname")).isFalse();
    assertThat(body.has("ExposedPorts")).isFalse();
    assertThat(body.path("HostConfig").has("PortBindings")).isFalse();
    assertThat(body.path("HostConfig").has("Dns")).isFalse();
    assertThat(body.path("Image").asText()).isEqualTo("127.0.0.1:5055/hf/app:live");
  }

  @Test
  void aMemberInContainerModeCarriesNoHostnameOrMac() throws IOException {
    JsonNode inspect = fixture("container-app.json");

    ObjectNode body = body(Map.of());

    // the recorded member reads the hostname of the holder it joined, not one of its own
    assertThat(inspect.path("Config").path("Hostname").asText()).isNotEmpty();
    assertThat(body.has("Hostname")).isFalse();
    assertThat(body.has("Domainname")).isFalse();
    assertThat(body.has("MacAddress")).isFalse();
  }

  /** The recorded member as if it had been created outside container: mode with these. */
  private JsonNode outside(String mode, String hostname, String mac) throws IOException {
    ObjectNode inspect = (ObjectNode) fixture("container-app.json");
    ((ObjectNode) inspect.path("HostConfig")).put("NetworkMode", mode);
    ObjectNode config = (ObjectNode) inspect.path("Config");
    config.put("Hostname", hostname);
    config.put("Domainname", "example.net");
    config.put("MacAddress", mac);
    return inspect;
  }

  private ObjectNode recreate(JsonNode inspect, String networkMode) throws IOException {
    return CreateBody.build(
        inspect,
        fixture("image-app.json"),
        new CreateRequest("src", "app.new", "img", networkMode, Map.of()));
  }

  @Test
  void outsideContainerModeTheConfiguredHostnameAndMacAreKept() throws IOException {
    for (String mode : List.of("bridge", "holdfast-net")) {
      ObjectNode body = recreate(outside(mode, "ns1", "02:42:ac:11:00:42"), mode);

      assertThat(body.path("Hostname").asText()).as(mode).isEqualTo("ns1");
      assertThat(body.path("Domainname").asText()).as(mode).isEqualTo("example.net");
      assertThat(body.path("MacAddress").asText()).as(mode).isEqualTo("02:42:ac:11:00:42");
    }
  }

  @Test
  void theEnginesDefaultHostnameTheShortIdIsNotKept() throws IOException {
    JsonNode inspect = fixture("container-app.json");
    String shortId = inspect.path("Id").asText().substring(0, 12);

    ObjectNode body = recreate(outside("bridge", shortId, ""), "bridge");

    assertThat(body.has("Hostname")).as("the new container gets its own id").isFalse();
    assertThat(body.has("MacAddress")).as("an unset MAC stays unset").isFalse();
  }

  @Test
  void joiningAHolderDropsTheHostnameAndMacTheContainerHadOfItsOwn() throws IOException {
    ObjectNode body = recreate(outside("bridge", "ns1", "02:42:ac:11:00:42"), NEW_HOLDER);

    assertThat(body.has("Hostname")).isFalse();
    assertThat(body.has("Domainname")).isFalse();
    assertThat(body.has("MacAddress")).isFalse();
  }

  @Test
  void leavingAHolderDoesNotTakeTheHoldersHostname() throws IOException {
    ObjectNode body = recreate(fixture("container-app.json"), "bridge");

    assertThat(body.has("Hostname")).isFalse();
  }

  @Test
  void hostModeKeepsTheHostnameButHasNoEndpointForAMac() throws IOException {
    ObjectNode body = recreate(outside("host", "ns1", "02:42:ac:11:00:42"), "host");

    assertThat(body.path("Hostname").asText()).isEqualTo("ns1");
    assertThat(body.has("MacAddress")).isFalse();
  }

  @Test
  void requestLabelsAreSetAndNullRemovesOne() throws IOException {
    Map<String, String> labels = new HashMap<>();
    labels.put("holdfast.run", "ab12");
    labels.put("team", null);

    ObjectNode body = body(labels);

    assertThat(body.path("Labels").path("holdfast.run").asText()).isEqualTo("ab12");
    assertThat(body.path("Labels").has("team")).isFalse();
  }

  @Test
  void withoutTheOldImageEverythingIsKept() throws IOException {
    ObjectNode body =
        CreateBody.build(
            fixture("container-app.json"),
            null,
            new CreateRequest("src", "n", "img", NEW_HOLDER, Map.of()));

    assertThat(body.path("Cmd").toString()).contains("httpd");
    assertThat(body.path("Env").toString()).contains("PATH=");
  }
}
