package dev.holdfast.site;

import java.util.Locale;

/**
 * An IP prefix in one spelling, so that a label, a router and another host name it alike: the
 * address in its canonical form (IPv6 compressed, lower case) with the host bits cleared, and the
 * length ({@code 192.0.2.1} alone is {@code 192.0.2.1/32}).
 */
public record Prefix(String text) {

  public Prefix {
    if (text == null || !text.equals(normalize(text))) {
      throw new IllegalArgumentException("'" + text + "' is not a prefix in canonical form");
    }
  }

  /**
   * @throws IllegalArgumentException when the text is not an IPv4 or IPv6 prefix
   */
  public static Prefix parse(String text) {
    return new Prefix(normalize(text));
  }

  /**
   * The prefixes of a comma-separated label value ({@code holdfast.prefixes=192.0.2.53/32,
   * 2001:db8::53/128}), each in its canonical spelling.
   *
   * @throws IllegalArgumentException naming the first entry that is no prefix
   */
  public static java.util.Set<Prefix> list(String value) {
    java.util.Set<Prefix> out =
        new java.util.TreeSet<>(java.util.Comparator.comparing(Prefix::text));
    if (value == null || value.isBlank()) {
      return out;
    }
    String[] parts = value.split(",", -1);
    if (parts.length > 64) {
      throw new IllegalArgumentException("at most 64 prefixes, not " + parts.length);
    }
    for (String part : parts) {
      out.add(parse(part));
    }
    return out;
  }

  /** {@code 192.0.2.53/32,2001:db8::53/128}: the list as plan text and labels write it. */
  public static String text(java.util.Collection<Prefix> prefixes) {
    return String.join(",", prefixes.stream().map(Prefix::text).sorted().toList());
  }

  public boolean ipv6() {
    return text.contains(":");
  }

  @Override
  public String toString() {
    return text;
  }

  private static String normalize(String text) {
    if (text == null || text.isBlank() || text.length() > 64) {
      throw bad(text);
    }
    String t = text.strip().toLowerCase(Locale.ROOT);
    int slash = t.indexOf('/');
    String address = slash < 0 ? t : t.substring(0, slash);
    int[] bytes = address.contains(":") ? Addresses.ipv6(address) : Addresses.ipv4(address);
    if (bytes == null) {
      throw bad(text);
    }
    int max = bytes.length * 8;
    int length = max;
    if (slash >= 0) {
      String len = t.substring(slash + 1);
      if (!len.matches("\\d{1,3}") || Integer.parseInt(len) > max) {
        throw bad(text);
      }
      length = Integer.parseInt(len);
    }
    for (int bit = length; bit < max; bit++) {
      bytes[bit / 8] &= ~(0x80 >> (bit % 8));
    }
    return (bytes.length == 4 ? Addresses.ipv4Text(bytes) : Addresses.ipv6Text(bytes))
        + "/"
        + length;
  }

  private static IllegalArgumentException bad(String text) {
    String shown =
        text == null ? "null" : text.length() > 64 ? text.substring(0, 64) + "..." : text;
    return new IllegalArgumentException("'" + shown + "' is not an IP prefix (e.g. 192.0.2.53/32)");
  }
}
