package dev.holdfast.route;

import java.time.Instant;

/**
 * What holdfast wants a group's route to be, since when and why. holdfast owns this state and
 * re-asserts it on the routers: a BIRD restart or a {@code birdc configure} cannot change it.
 *
 * @param announced whether the prefixes should be announced
 */
public record RouteIntent(boolean announced, Instant since, String why) {

  public String state() {
    return announced ? "announced" : "withdrawn";
  }
}
