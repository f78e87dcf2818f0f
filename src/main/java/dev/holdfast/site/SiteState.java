package dev.holdfast.site;

/** What a site does with a prefix, as its holdfast last reported it. */
public enum SiteState {
  /** Its router exports the prefix to its peers. */
  ANNOUNCING,
  /** Its router does not (withdrawn for work, or by health). */
  WITHDRAWN,
  /** No holdfast reports it (gone, unreachable, its lease expired): counted as not announcing. */
  UNKNOWN;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
