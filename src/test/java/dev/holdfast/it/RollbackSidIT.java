package dev.holdfast.it;

import dev.holdfast.testing.Docker;

/**
 * {@link RollbackIT}, the rollback of an image that never passes its gate, on sid's Docker 28 with
 * the containerd image store.
 */
class RollbackSidIT extends RollbackIT {

  @Override
  Docker engine() {
    return Docker.SID;
  }
}
