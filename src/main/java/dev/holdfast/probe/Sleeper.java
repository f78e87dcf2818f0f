package dev.holdfast.probe;

import java.time.Duration;

/** Waiting, injectable so that tests of polling code need no wall-clock time. */
@FunctionalInterface
public interface Sleeper {

  void sleep(Duration d) throws InterruptedException;

  Sleeper REAL = d -> Thread.sleep(d.toMillis());
}
