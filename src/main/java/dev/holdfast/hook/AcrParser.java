package dev.holdfast.hook;

import static dev.holdfast.hook.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Azure Container Registry: one Distribution-style event per POST, without the envelope. ACR
 * reports only manifests (no blob or pull events), plus {@code ping} (the portal's and {@code az
 * acr webhook ping}'s test) and Helm chart actions whose target has a name and version instead of a
 * repository.
 */
final class AcrParser implements SenderParser {

  @Override
  public void read(Headers headers, JsonNode body, Reading reading) {
    String action = text(body, "action");
    if (action.equals("ping")) {
      reading.ignore("acr ping: a test delivery, not a push");
      return;
    }
    if (action.startsWith("chart_")) {
      reading.ignore(
          "acr "
              + Nodes.clip(action)
              + " of chart "
              + Nodes.clip(text(body, "target", "name"))
              + ":"
              + Nodes.clip(text(body, "target", "version"))
              + ": not an image push");
      return;
    }
    DistributionEvents.read(body, reading, false);
  }
}
