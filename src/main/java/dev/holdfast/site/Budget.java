package dev.holdfast.site;

/**
 * How much of a prefix planned work may take away at once.
 *
 * @param maxWithdrawn sites of the prefix that may be withdrawn (or withdrawing) at once
 * @param minAnnounced sites that must go on announcing it, where it has two or more known sites (a
 *     prefix with one site updates as it always did: that site is the whole service)
 */
public record Budget(int maxWithdrawn, int minAnnounced) {

  public static final Budget DEFAULT = new Budget(1, 1);

  public Budget {
    if (maxWithdrawn < 1) {
      throw new IllegalArgumentException("maxWithdrawn must be 1 or more, not " + maxWithdrawn);
    }
    if (minAnnounced < 0) {
      throw new IllegalArgumentException("minAnnounced must be 0 or more, not " + minAnnounced);
    }
  }

  @Override
  public String toString() {
    return "maxWithdrawn=" + maxWithdrawn + " minAnnounced=" + minAnnounced;
  }
}
