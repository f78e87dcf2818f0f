package dev.holdfast.route;

import dev.holdfast.engine.ContainerView;

/**
 * How a group's prefixes are withdrawn and announced through its router. Both calls are idempotent:
 * withdrawing a withdrawn route or announcing an announced one succeeds.
 */
public interface RouteControl {

  /** The value of {@code holdfast.route} that selects this strategy. */
  String strategy();

  void withdraw(ContainerView router);

  void announce(ContainerView router);
}
