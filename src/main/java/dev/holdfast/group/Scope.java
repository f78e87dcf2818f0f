package dev.holdfast.group;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which groups one holdfast instance manages, so that several instances on one engine manage
 * disjoint groups (two without scopes would race each other's runs). A group's scope is its
 * holder's {@link Labels#SCOPE} label; a group whose holder is gone takes it from its members
 * (replacements copy their labels, so a member says what its holder said).
 *
 * @param name the instance's scope; empty manages only groups without one
 */
public record Scope(Optional<String> name) {

  /** The characters a scope may have: it names an instance, in labels and in logs. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  public static final Scope NONE = new Scope(Optional.empty());

  public Scope {
    name.ifPresent(
        n -> {
          if (!NAME.matcher(n).matches()) {
            throw new IllegalArgumentException(
                "scope '" + n + "': 1-63 letters, digits, '.', '_' or '-', starting alnum");
          }
        });
  }

  public static Scope of(String name) {
    return new Scope(Optional.of(name));
  }

  /** Whether this instance manages the group. */
  public boolean manages(Group group) {
    return name.equals(scopeOf(group));
  }

  /** The group's scope: its holder's label, else the first member's that has one. */
  public static Optional<String> scopeOf(Group group) {
    if (group.holder().isPresent()) {
      return group.holder().get().label(Labels.SCOPE);
    }
    return group.members().stream()
        .map(m -> m.container().label(Labels.SCOPE))
        .flatMap(Optional::stream)
        .findFirst();
  }

  @Override
  public String toString() {
    return name.map(n -> "scope " + n).orElse("no scope");
  }
}
