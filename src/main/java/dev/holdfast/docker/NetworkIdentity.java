package dev.holdfast.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Which of the old container's hostname, domain name and MAC address its replacement keeps.
 *
 * <p>A member in {@code container:} mode keeps none: the engine refuses a hostname there
 * ("conflicting options: hostname and the network mode"), refuses a MAC address below API 1.44 and
 * ignores it from 1.44, and copies the hostname and domain name of the container it joins. A
 * container outside that mode (a holder, an app in bridge or host mode) keeps what its user set.
 *
 * <p>The MAC address goes in {@code Config.MacAddress}, deprecated since API 1.44 for {@code
 * NetworkingConfig.EndpointsConfig[network].MacAddress}: the create body sends no NetworkingConfig,
 * and from 1.44 the engine moves a Config MAC onto the endpoint of the NetworkMode network itself
 * (with a warning), while below 1.44 it would discard an endpoint MAC. Inspect at the versions
 * spoken (up to {@link ApiVersion#NEWEST_KNOWN}) reports the configured MAC there, not a generated
 * one (except Docker 25.0.0 and 25.0.1, moby#47228).
 */
final class NetworkIdentity {

  private static final int SHORT_ID = 12;

  private NetworkIdentity() {}

  /**
   * @param config the new container's Config, copied from the old one's
   * @param inspect the old container's inspect answer
   * @param networkMode the new container's network mode
   */
  static void apply(ObjectNode config, JsonNode inspect, String networkMode) {
    String oldMode = inspect.path("HostConfig").path("NetworkMode").asText("");
    if (sharesNamespace(networkMode) || sharesNamespace(oldMode)) {
      // in the old container the three are the joined container's, not configured
      config.remove("Hostname");
      config.remove("Domainname");
      config.remove("MacAddress");
      return;
    }
    String id = inspect.path("Id").asText("");
    String hostname = config.path("Hostname").asText("");
    // unset, the engine names a container after its short id: the new container gets its own.
    // In host mode an unset hostname reads as the machine's, which keeping leaves as it was.
    if (hostname.isEmpty()
        || id.length() >= SHORT_ID && hostname.equals(id.substring(0, SHORT_ID))) {
      config.remove("Hostname");
    }
    if (config.path("Domainname").asText("").isEmpty()) {
      config.remove("Domainname");
    }
    // host and none have no endpoint of their own to carry it: the engine refuses or drops it
    if (config.path("MacAddress").asText("").isEmpty()
        || networkMode.equals("host")
        || networkMode.equals("none")) {
      config.remove("MacAddress");
    }
  }

  private static boolean sharesNamespace(String networkMode) {
    return networkMode.startsWith("container:");
  }
}
