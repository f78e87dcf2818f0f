package dev.holdfast.hook;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A delivery's request headers, names compared case-insensitively (HTTP says so, and senders and
 * proxies disagree on case). Kept free of any web framework so the API layer can build it from
 * whatever it uses. {@link #toString()} shows names only: values can be secrets.
 */
public final class Headers {

  private final Map<String, List<String>> values;

  private Headers(Map<String, List<String>> values) {
    this.values = values;
  }

  public static Headers empty() {
    return new Headers(new TreeMap<>(String.CASE_INSENSITIVE_ORDER));
  }

  /** One value per name, e.g. a web framework's header map. */
  public static Headers of(Map<String, String> single) {
    Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    single.forEach((name, value) -> add(map, name, value));
    return new Headers(map);
  }

  /** Every value of every name, in the order received. */
  public static Headers ofLists(Map<String, ? extends Collection<String>> lists) {
    Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    lists.forEach((name, list) -> list.forEach(value -> add(map, name, value)));
    return new Headers(map);
  }

  /** Alternating names and values: {@code of("X-GitHub-Event", "package", ...)}. */
  public static Headers of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      add(map, namesAndValues[i], namesAndValues[i + 1]);
    }
    return new Headers(map);
  }

  /** The first value of this header, which may be empty text; empty when the header is absent. */
  public Optional<String> first(String name) {
    List<String> list = values.get(name);
    return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
  }

  @Override
  public String toString() {
    return "Headers" + values.keySet();
  }

  private static void add(Map<String, List<String>> map, String name, String value) {
    if (name != null && value != null) {
      map.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
  }
}
