package dev.holdfast.app;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One setting of the service, declared once: its environment variable, its default (none for an
 * optional setting, which then reads as {@link Optional#empty()}), what it means, how its text is
 * read, and the {@code serve} flag that overrides it, if any. {@link Settings} declares them all;
 * {@link Config#from}, the README table ({@code ConfigTest}) and the flags of {@code serve} are
 * derived from those declarations, so a key is spelled in one place.
 *
 * @param key the environment variable; {@code <SENDER>} at the end marks a family of variables
 * @param fallback the default, as text; empty when there is none
 * @param meaning one line for the README table and the flag's help
 * @param flag the {@code serve} flag that overrides the variable; empty when there is none
 * @param reader reads the value from the whole environment (families and aliases need all of it)
 */
record Setting<T>(
    String key,
    Optional<String> fallback,
    String meaning,
    Optional<Setting.Flag> flag,
    Function<Map<String, String>, T> reader) {

  /**
   * A {@code serve} flag.
   *
   * @param valued whether it takes a value; one that does not sets its variable to {@code true}
   */
  record Flag(String name, boolean valued) {}

  /** How a variable's text becomes a value; errors name the variable. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(String key, String text);
  }

  /** A setting that always has a value: the variable's, else the default. */
  static <T> Setting<T> of(String key, String fallback, String meaning, Parser<T> parser) {
    return new Setting<>(
        key,
        Optional.of(fallback),
        meaning,
        Optional.empty(),
        env -> parser.parse(key, text(env, key).orElse(fallback)));
  }

  /** A setting without a default: empty unless the variable is set. */
  static <T> Setting<Optional<T>> optional(String key, String meaning, Parser<T> parser) {
    return new Setting<>(
        key,
        Optional.empty(),
        meaning,
        Optional.empty(),
        env -> text(env, key).map(t -> parser.parse(key, t)));
  }

  /** A family of variables, one per sender: {@code prefix + SENDER}, read together. */
  static <T> Setting<T> family(
      String prefix, String meaning, Function<String, Function<Map<String, String>, T>> reader) {
    return new Setting<>(
        prefix + "<SENDER>", Optional.empty(), meaning, Optional.empty(), reader.apply(prefix));
  }

  /** The same setting, overridden by this {@code serve} flag and its value. */
  Setting<T> flag(String name) {
    return new Setting<>(key, fallback, meaning, Optional.of(new Flag(name, true)), reader);
  }

  /** The same setting, turned on by this {@code serve} flag. */
  Setting<T> toggle(String name) {
    return new Setting<>(key, fallback, meaning, Optional.of(new Flag(name, false)), reader);
  }

  /** The same setting, read from {@code alias} when its own variable is not set. */
  Setting<T> or(String alias) {
    return new Setting<>(
        key,
        fallback,
        meaning,
        flag,
        env ->
            reader.apply(
                text(env, key).isEmpty() && text(env, alias).isPresent()
                    ? Map.of(key, env.get(alias))
                    : env));
  }

  T read(Map<String, String> env) {
    return reader.apply(env);
  }

  /** The default as the README shows it: {@code (none)} when there is none. */
  String shownDefault() {
    return fallback.orElse("(none)");
  }

  /** The variable's text, trimmed; empty when it is unset or blank. */
  static Optional<String> text(Map<String, String> env, String key) {
    String value = env.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }
}
