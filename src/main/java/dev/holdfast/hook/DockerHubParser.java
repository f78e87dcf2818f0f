package dev.holdfast.hook;

import static dev.holdfast.hook.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.trigger.ImageName;

/**
 * Docker Hub: every call is a push (there is no event field), always of docker.io. No digest and no
 * delivery id are sent; {@code pushed_at} (sometimes a float) and {@code callback_url} (legacy) are
 * not needed.
 */
final class DockerHubParser implements SenderParser {

  @Override
  public void read(Headers headers, JsonNode body, Reading reading) {
    JsonNode pushData = body.path("push_data");
    if (!pushData.isObject()) {
      throw reading.malformed("has no push_data");
    }
    String repository = text(body, "repository", "repo_name");
    if (repository.isEmpty()) {
      throw reading.malformed("has no repository.repo_name");
    }
    String tag = text(pushData, "tag");
    if (tag.isEmpty()) {
      reading.ignore("dockerhub push of " + Nodes.clip(repository) + " without a tag");
      return;
    }
    reading.push(ImageName.DOCKER_HUB, repository, tag, "", "");
  }
}
