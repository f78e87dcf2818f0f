package dev.holdfast.group;

import dev.holdfast.engine.ContainerView;
import java.util.Optional;

/**
 * A non-holder container of a group.
 *
 * @param container the engine's view of it
 * @param role app or router
 * @param order update order among apps
 * @param stale why the member is not in the current holder's namespace; empty when it is
 */
public record Member(ContainerView container, Role role, int order, Optional<String> stale) {

  public String name() {
    return container.name();
  }

  public boolean attached() {
    return stale.isEmpty();
  }

  /**
   * Whether the member says its image is never pulled ({@code holdfast.pull=never}).
   *
   * @throws IllegalArgumentException when the label holds something else than never or auto
   */
  public boolean neverPulled() {
    String value = container.label(Labels.PULL).orElse("auto").trim();
    return switch (value) {
      case "never" -> true;
      case "auto" -> false;
      default ->
          throw new IllegalArgumentException(
              Labels.PULL + "=" + value + ": expected never or auto");
    };
  }

  /** The image reference to pull and recreate from (the label wins when created from an id). */
  public String imageRef() {
    return container.label(Labels.IMAGE_REF).orElse(container.image());
  }
}
