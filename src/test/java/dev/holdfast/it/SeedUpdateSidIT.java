package dev.holdfast.it;

import dev.holdfast.testing.Docker;

/** {@link SeedUpdateIT}, the seed update, on sid's Docker 28 with the containerd image store. */
class SeedUpdateSidIT extends SeedUpdateIT {

  @Override
  Docker engine() {
    return Docker.SID;
  }
}
