package dev.holdfast.docker.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Logins written as {@code host=user:password} entries: separated by spaces in a variable, one a
 * line in a file (where a password may hold spaces, and {@code #} starts a comment line). User
 * {@code <token>} makes the secret an identity token. Errors name the entry by its position, never
 * its text: it holds a password.
 */
public final class LoginList {

  private LoginList() {}

  /** Entries separated by whitespace; {@code source} (the variable) starts every error. */
  public static Map<String, RegistryLogin> parseWords(String source, String text) {
    Map<String, RegistryLogin> out = new LinkedHashMap<>();
    int n = 0;
    for (String entry : text.trim().split("\\s+")) {
      if (!entry.isEmpty()) {
        add(out, source, "entry " + ++n, entry);
      }
    }
    return Map.copyOf(out);
  }

  /** One entry a line; blank lines and lines starting with {@code #} are skipped. */
  public static Map<String, RegistryLogin> parseLines(String source, String text) {
    Map<String, RegistryLogin> out = new LinkedHashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        add(out, source, "line " + (i + 1), line);
      }
    }
    return Map.copyOf(out);
  }

  private static void add(Map<String, RegistryLogin> out, String source, String where, String e) {
    int eq = e.indexOf('=');
    int colon = eq < 0 ? -1 : e.indexOf(':', eq + 1);
    if (eq <= 0 || colon < 0 || colon == eq + 1 || colon == e.length() - 1) {
      throw new IllegalArgumentException(
          source + ": " + where + " is not host=user:password (its text is not shown)");
    }
    String host = RegistryHosts.normalize(e.substring(0, eq));
    if (host.isEmpty() || !host.matches("[a-z0-9._\\[\\]:-]+")) {
      throw new IllegalArgumentException(source + ": " + where + " has no registry host");
    }
    RegistryLogin login = RegistryLogin.of(e.substring(eq + 1, colon), e.substring(colon + 1));
    if (out.put(host, login) != null) {
      throw new IllegalArgumentException(source + ": " + host + " is given twice");
    }
  }
}
