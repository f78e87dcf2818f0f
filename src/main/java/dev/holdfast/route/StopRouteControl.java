package dev.holdfast.route;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.Engine;
import dev.holdfast.plan.RouteSpec;

/**
 * The generic strategy, for any routing daemon: withdraw by stopping the router container with its
 * own stop signal (BIRD and most daemons send a BGP Cease or OSPF 1-way on SIGTERM), announce by
 * starting it.
 */
public final class StopRouteControl implements RouteControl {

  private final Engine engine;

  public StopRouteControl(Engine engine) {
    this.engine = engine;
  }

  @Override
  public String strategy() {
    return "stop";
  }

  @Override
  public void withdraw(ContainerView router, RouteSpec spec) {
    engine.stop(router.id());
  }

  @Override
  public void announce(ContainerView router, RouteSpec spec) {
    engine.start(router.id());
  }
}
