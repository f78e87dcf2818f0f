package dev.holdfast.app;

import dev.holdfast.group.Scope;
import dev.holdfast.hook.RegistryKind;
import dev.holdfast.probe.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** How the settings' texts are read. Every error starts with the variable's name. */
final class Parsers {

  private Parsers() {}

  /** The hook senders a per-sender variable may name: Watchtower, then every registry. */
  static final List<String> SENDERS = senders();

  private static List<String> senders() {
    List<String> senders = new ArrayList<>(List.of("watchtower"));
    for (RegistryKind kind : RegistryKind.values()) {
      senders.add(kind.id());
    }
    return List.copyOf(senders);
  }

  static String text(String key, String value) {
    return value;
  }

  static Scope scope(String key, String value) {
    try {
      return Scope.of(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage());
    }
  }

  /** {@code 192.0.2.53/32=2/1 2001:db8::53/128=1/1}: per prefix, maxWithdrawn/minAnnounced. */
  static Map<dev.holdfast.site.Prefix, dev.holdfast.site.Budget> budgets(String key, String value) {
    Map<dev.holdfast.site.Prefix, dev.holdfast.site.Budget> out = new java.util.LinkedHashMap<>();
    for (String entry : value.trim().split("[\\s,]+")) {
      if (entry.isEmpty()) {
        continue;
      }
      String[] kv = entry.split("=", 2);
      String[] limits = kv.length == 2 ? kv[1].split("/", -1) : new String[0];
      if (limits.length != 2) {
        throw new IllegalArgumentException(
            key + ": '" + entry + "' is not <prefix>=<maxWithdrawn>/<minAnnounced>");
      }
      try {
        dev.holdfast.site.Prefix p = dev.holdfast.site.Prefix.parse(kv[0]);
        dev.holdfast.site.Budget b =
            new dev.holdfast.site.Budget(
                Integer.parseInt(limits[0].trim()), Integer.parseInt(limits[1].trim()));
        if (out.put(p, b) != null) {
          throw new IllegalArgumentException(p + " is given twice");
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(key + ": '" + entry + "': " + e.getMessage());
      }
    }
    return Map.copyOf(out);
  }

  /** {@code http://10.0.0.1:2379,http://10.0.0.2:2379}: etcd's client URLs. */
  static java.util.List<String> endpoints(String key, String value) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String e : value.split(",")) {
      String t = e.trim();
      if (t.isEmpty()) {
        continue;
      }
      java.net.URI u;
      try {
        u = java.net.URI.create(t);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(key + ": '" + t + "' is not a URL");
      }
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
          || u.getHost() == null
          || u.getPort() < 1) {
        throw new IllegalArgumentException(
            key + ": '" + t + "' is not http(s)://<host>:<port> (an etcd client URL)");
      }
      out.add(t);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(key + ": no endpoint");
    }
    return java.util.List.copyOf(out);
  }

  /** A name that goes into site ids and etcd keys: letters, digits, '.', '-', '_'. */
  static String instance(String key, String value) {
    if (!value.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
      throw new IllegalArgumentException(
          key + ": '" + value + "' must be 1-63 letters, digits, '.', '-' or '_'");
    }
    return value;
  }

  /** {@code host=user:password ...}; errors name the entry by position, never show its text. */
  static Map<String, dev.holdfast.docker.auth.RegistryLogin> registryAuth(
      String key, String value) {
    return dev.holdfast.docker.auth.LoginList.parseWords(key, value);
  }

  static Path path(String key, String value) {
    return Path.of(value);
  }

  static boolean bool(String key, String value) {
    return switch (value) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new IllegalArgumentException(key + ": true or false expected, not " + value);
    };
  }

  static Duration duration(String key, String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  static Setting.Parser<Integer> integer(int min, int max) {
    return (key, value) -> {
      try {
        int n = Integer.parseInt(value);
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below, with the range
      }
      throw new IllegalArgumentException(
          key + ": a number from " + min + " to " + max + " expected, not " + value);
    };
  }

  /** {@code host:port}; {@code [::1]:8080} for IPv6; an empty host listens on every address. */
  static Config.Listen listen(String key, String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(key + ": host:port expected, not " + value);
    }
    String host = value.substring(0, colon).replace("[", "").replace("]", "");
    int port = integer(0, 65535).parse(key + " port", value.substring(colon + 1));
    return new Config.Listen(host.isEmpty() ? "0.0.0.0" : host, port);
  }

  /** Only the two transports the engine client speaks; anything else would fail much later. */
  static String dockerHost(String key, String value) {
    if (!value.startsWith("unix://") && !value.startsWith("tcp://")) {
      throw new IllegalArgumentException(
          key + ": unix:///path or tcp://host:port expected, not " + value);
    }
    return value;
  }

  /**
   * The values of a family of variables ({@code prefix + SENDER}) by lower-case sender, set ones
   * only. A sender nobody knows is refused: a typo would otherwise leave a hook without its secret.
   */
  static Function<Map<String, String>, Map<String, String>> family(String prefix) {
    return env -> {
      Map<String, String> values = new LinkedHashMap<>();
      env.forEach(
          (key, value) -> {
            if (key.startsWith(prefix) && value != null && !value.isBlank()) {
              String sender = key.substring(prefix.length()).toLowerCase(Locale.ROOT);
              if (!SENDERS.contains(sender)) {
                throw new IllegalArgumentException(
                    key + ": unknown sender '" + sender + "'; one of " + SENDERS);
              }
              values.put(sender, value.trim());
            }
          });
      return Map.copyOf(values);
    };
  }

  /** A family by registry; Watchtower's entry is dropped (it names no registry host). */
  static Function<Map<String, String>, Map<RegistryKind, String>> registryFamily(String prefix) {
    return env -> {
      Map<RegistryKind, String> byKind = new EnumMap<>(RegistryKind.class);
      family(prefix)
          .apply(env)
          .forEach(
              (sender, value) -> {
                if (!sender.equals("watchtower")) {
                  byKind.put(RegistryKind.parse(sender), value);
                }
              });
      return Map.copyOf(byKind);
    };
  }
}
