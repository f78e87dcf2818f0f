package dev.holdfast.run;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the store can be written. A store that cannot be opened or written makes holdfast refuse
 * new runs (it could not promise to finish or roll them back after a crash) while status and
 * history keep being served.
 */
public final class StoreHealth {

  private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);
  private volatile String problem;

  public Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  /** Records the first failure; later ones are logged at debug only. */
  public void failed(String why) {
    if (problem == null) {
      problem = why;
      log.error(
          "store: {}; new runs are refused until holdfast restarts with a working store", why);
    } else {
      log.debug("store: {}", why);
    }
  }
}
