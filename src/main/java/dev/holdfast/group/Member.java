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

  /** The image reference to pull and recreate from (the label wins when created from an id). */
  public String imageRef() {
    return container.label(Labels.IMAGE_REF).orElse(container.image());
  }
}
