package dev.holdfast.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.engine.CreateRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the {@code POST /containers/create} body that recreates a container: its own inspected
 * Config and HostConfig, taken as JSON so that no field docker-java does not model is lost.
 *
 * <p>What the old image supplied (env entries, labels, command, entrypoint, healthcheck, user,
 * workdir, stop signal, volumes) is subtracted, so the new image's defaults apply, as Watchtower
 * does. Settings the engine refuses next to a {@code container:} network mode are dropped; outside
 * it the container keeps its configured hostname and MAC address ({@link NetworkIdentity}).
 */
final class CreateBody {

  private static final List<String> SAME_AS_IMAGE_DROPPED =
      List.of("Cmd", "Entrypoint", "Healthcheck", "User", "WorkingDir", "StopSignal", "Volumes");

  /**
   * Config fields the engine fills in itself or that belong to the old container; the hostname,
   * domain name and MAC address are {@link NetworkIdentity}'s to decide.
   */
  private static final List<String> ENGINE_OWNED = List.of("ExposedPorts", "Image", "ArgsEscaped");

  private CreateBody() {}

  static ObjectNode build(JsonNode inspect, JsonNode oldImage, CreateRequest request) {
    ObjectNode config = ((ObjectNode) inspect.path("Config")).deepCopy();
    JsonNode imageConfig = oldImage == null ? null : oldImage.path("Config");
    if (imageConfig != null && !imageConfig.isMissingNode() && !imageConfig.isNull()) {
      subtractImageDefaults(config, imageConfig);
    }
    for (String field : ENGINE_OWNED) {
      config.remove(field);
    }
    NetworkIdentity.apply(config, inspect, request.networkMode());
    config.put("Image", request.image());
    applyLabels(config, request.labels());

    ObjectNode host = ((ObjectNode) inspect.path("HostConfig")).deepCopy();
    host.put("NetworkMode", request.networkMode());
    if (request.networkMode().startsWith("container:")) {
      // the engine answers "conflicting options" for these next to a shared namespace
      for (String field :
          List.of(
              "PortBindings",
              "PublishAllPorts",
              "Dns",
              "DnsOptions",
              "DnsSearch",
              "ExtraHosts",
              "Links")) {
        host.remove(field);
      }
    }
    config.set("HostConfig", host);
    return config;
  }

  private static void subtractImageDefaults(ObjectNode config, JsonNode image) {
    for (String field : SAME_AS_IMAGE_DROPPED) {
      if (config.has(field) && config.get(field).equals(image.path(field))) {
        config.remove(field);
      }
    }
    if (config.path("Env").isArray()) {
      Set<String> imageEnv = new HashSet<>();
      image.path("Env").forEach(e -> imageEnv.add(e.asText()));
      List<String> own = new ArrayList<>();
      config
          .path("Env")
          .forEach(
              e -> {
                if (!imageEnv.contains(e.asText())) {
                  own.add(e.asText());
                }
              });
      config.putArray("Env").addAll(own.stream().map(config::textNode).toList());
    }
    if (config.path("Labels").isObject() && image.path("Labels").isObject()) {
      ObjectNode labels = (ObjectNode) config.get("Labels");
      image
          .path("Labels")
          .fields()
          .forEachRemaining(
              e -> {
                if (e.getValue().equals(labels.get(e.getKey()))) {
                  labels.remove(e.getKey());
                }
              });
    }
  }

  private static void applyLabels(ObjectNode config, Map<String, String> extra) {
    ObjectNode labels =
        config.path("Labels").isObject()
            ? (ObjectNode) config.get("Labels")
            : config.putObject("Labels");
    for (Map.Entry<String, String> e : extra.entrySet()) {
      if (e.getValue() == null) {
        labels.remove(e.getKey());
      } else {
        labels.put(e.getKey(), e.getValue());
      }
    }
  }
}
