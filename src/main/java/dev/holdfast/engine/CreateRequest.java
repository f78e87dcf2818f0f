package dev.holdfast.engine;

import java.util.Map;

/**
 * Create a new container with the configuration of an existing one.
 *
 * <p>The adapter copies what the user configured on {@code sourceId} (env, command, entrypoint,
 * labels, mounts, restart policy, capabilities, devices, sysctls, ulimits, log config, stop signal
 * and timeout, user, workdir, healthcheck overrides), but not what the old image supplied, so that
 * the new image's defaults apply. Settings that conflict with a {@code container:} network mode
 * (hostname, MAC address, published ports, DNS) are dropped; outside that mode the configured
 * hostname, domain name and MAC address are kept.
 *
 * @param sourceId the container whose configuration is copied
 * @param name the name of the new container
 * @param image the image reference or id to create it from
 * @param networkMode the network mode of the new container, e.g. {@code container:<holder id>}
 * @param labels labels to set on top of the copied ones (a {@code null} value removes a label)
 */
public record CreateRequest(
    String sourceId, String name, String image, String networkMode, Map<String, String> labels) {}
