package dev.holdfast.it;

import dev.holdfast.testing.Docker;

/**
 * {@link RegistryHookIT}, the update a registry push starts, on sid's Docker 28 with the containerd
 * image store.
 */
class RegistryHookSidIT extends RegistryHookIT {

  @Override
  Docker engine() {
    return Docker.SID;
  }
}
