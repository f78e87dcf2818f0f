package dev.holdfast.it;

import dev.holdfast.testing.Docker;

/**
 * {@link HealIT}, the heals of a replaced or restarted holder, on sid's Docker 28 with the
 * containerd image store.
 */
class HealSidIT extends HealIT {

  @Override
  Docker engine() {
    return Docker.SID;
  }
}
