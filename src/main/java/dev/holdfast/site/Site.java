package dev.holdfast.site;

import java.util.Objects;

/**
 * One site of a prefix: a group on some engine that announces it.
 *
 * @param id the site's name, unique across the prefix's holdfast instances ({@code <scope or
 *     host>/<group>})
 * @param state what it does with the prefix now
 * @param holdsSlot whether planned work holds one of the prefix's withdrawal slots for it (it is
 *     withdrawing, or has not re-announced and drained yet, even while its router still exports)
 */
public record Site(String id, SiteState state, boolean holdsSlot) {

  public Site {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
  }

  /** Announcing and not about to stop: a site the prefix can count on. */
  boolean serves() {
    return state == SiteState.ANNOUNCING && !holdsSlot;
  }
}
