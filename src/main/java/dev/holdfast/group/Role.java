package dev.holdfast.group;

import java.util.Locale;
import java.util.Optional;

/** What a container does in its group. */
public enum Role {
  /** Owns the network namespace; never stopped, restarted, recreated or removed by holdfast. */
  HOLDER,
  /** Serves traffic in the holder's namespace. */
  APP,
  /** Announces the group's prefixes (BIRD or any routing daemon). */
  ROUTER;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    for (Role role : values()) {
      if (role.label().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
