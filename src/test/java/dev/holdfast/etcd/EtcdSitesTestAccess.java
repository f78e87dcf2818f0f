package dev.holdfast.etcd;

import java.time.Instant;
import java.util.Optional;

/** The test seams of {@link EtcdSites}, for the integration tests in another package. */
public final class EtcdSitesTestAccess {

  private EtcdSitesTestAccess() {}

  /** Stops as a SIGKILLed holdfast would: keep-alives end, the lease is not revoked. */
  public static void abandon(EtcdSites sites) {
    sites.abandon();
  }

  /** When etcd last granted or renewed the instance's lease. */
  public static Optional<Instant> leaseRenewed(EtcdSites sites) {
    return sites.leaseRenewed();
  }
}
