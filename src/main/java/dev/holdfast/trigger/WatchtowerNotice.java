package dev.holdfast.trigger;

/**
 * One thing a Watchtower notification said about one container.
 *
 * @param kind what happened
 * @param container the container's name without Docker's leading '/'; empty when the line names
 *     only an image (e.g. "Found new … image")
 * @param image the image name as Watchtower wrote it, or empty
 * @param text the line or report entry it came from, for the answer and the logs
 */
public record WatchtowerNotice(Kind kind, String container, String image, String text) {

  public enum Kind {
    /** A new image is out for this container (monitor-only "Stale", or "Found new … image"). */
    NEW_IMAGE,
    /** Watchtower itself stopped/recreated this container ("Updated", "Creating", "Stopping"). */
    RECREATED,
    /** Watchtower failed on a container that lost its holder's namespace ("No such container"). */
    NAMESPACE_LOST,
    /** Anything else: start-up lines, fresh containers, other failures. Ignored. */
    OTHER
  }
}
