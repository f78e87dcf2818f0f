package dev.holdfast.trigger;

import java.util.Objects;

/**
 * One thing a Watchtower notification said about one container.
 *
 * @param kind what happened
 * @param container the container's name without Docker's leading '/'; empty when the line names
 *     only an image (e.g. "Found new … image")
 * @param image the image name as Watchtower wrote it, or empty
 * @param currentImageId the image the container runs, as Watchtower reported it (json.v1 {@code
 *     currentImageId}, 12 hex digits), or empty when the format does not carry it
 * @param latestImageId the newest image Watchtower found for it (json.v1 {@code latestImageId}), or
 *     empty
 * @param error what Watchtower said went wrong (a report item's error), or empty
 * @param text the line or report entry it came from, for the answer and the logs
 */
public record WatchtowerNotice(
    Kind kind,
    String container,
    String image,
    String currentImageId,
    String latestImageId,
    String error,
    String text) {

  public WatchtowerNotice {
    Objects.requireNonNull(kind, "kind");
    container = Objects.requireNonNullElse(container, "");
    image = Objects.requireNonNullElse(image, "");
    currentImageId = Objects.requireNonNullElse(currentImageId, "");
    latestImageId = Objects.requireNonNullElse(latestImageId, "");
    error = Objects.requireNonNullElse(error, "");
    text = Objects.requireNonNullElse(text, "");
  }

  /** A notice from a format that carries neither image ids nor an error of its own. */
  public WatchtowerNotice(Kind kind, String container, String image, String text) {
    this(kind, container, image, "", "", "", text);
  }

  /**
   * Whether Watchtower said a newer image is out for the container: true unless both image ids are
   * known and equal. Watchtower lists a container as {@code Failed} only when its ids differ (equal
   * ids make it {@code Fresh}, even when its recreate failed), so a report item without ids is
   * stale too.
   */
  public boolean newerImage() {
    return currentImageId.isEmpty()
        || latestImageId.isEmpty()
        || !currentImageId.equals(latestImageId);
  }

  public enum Kind {
    /** A new image is out for this container (monitor-only "Stale", or "Found new … image"). */
    NEW_IMAGE,
    /** Watchtower itself stopped/recreated this container ("Updated", "Creating", "Stopping"). */
    RECREATED,
    /**
     * Watchtower's pre-update hook skipped this container (exit 75, EX_TEMPFAIL, or any other
     * failure of the hook), so Watchtower left it as it was: "Failed" with the hook's error.
     */
    VETOED,
    /**
     * Watchtower's own stop, create or start of this container failed ("port is already allocated",
     * "could not be removed", a daemon error): the group may be half broken.
     */
    RECREATE_FAILED,
    /** Watchtower failed on a container that lost its holder's namespace ("No such container"). */
    NAMESPACE_LOST,
    /** Anything else: start-up lines, fresh containers, skipped containers. Ignored. */
    OTHER
  }
}
