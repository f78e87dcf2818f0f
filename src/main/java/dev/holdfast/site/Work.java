package dev.holdfast.site;

/** Why a site asks to withdraw a prefix. */
public enum Work {
  /** An update, or a heal of a site that still serves: waits for the budget. */
  PLANNED,
  /**
   * A heal of a site that is broken already (holder gone, app unhealthy, route withdrawn by
   * health): it restores service, so it never waits, and it counts against the budget.
   */
  REPAIR
}
