package dev.holdfast.plan;

import java.util.Locale;

/** Why a plan exists: a new image (update) or a replaced holder (heal). */
public enum PlanKind {
  UPDATE,
  HEAL;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
