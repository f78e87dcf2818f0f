package dev.holdfast.site;

/**
 * IP address literals read and written by hand: the pure core may not touch {@code java.net} (whose
 * {@code InetAddress} resolves names), and a prefix is only ever a literal.
 */
final class Addresses {

  private Addresses() {}

  /** The four bytes of a dotted quad, or null. */
  static int[] ipv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    int[] out = new int[4];
    for (int i = 0; i < 4; i++) {
      if (!parts[i].matches("0|[1-9]\\d{0,2}") || Integer.parseInt(parts[i]) > 255) {
        return null;
      }
      out[i] = Integer.parseInt(parts[i]);
    }
    return out;
  }

  /** The sixteen bytes of an IPv6 literal (with {@code ::} and a dotted tail), or null. */
  static int[] ipv6(String s) {
    int gap = s.indexOf("::");
    if (gap != s.lastIndexOf("::")) {
      return null;
    }
    String head = gap < 0 ? s : s.substring(0, gap);
    String tail = gap < 0 ? "" : s.substring(gap + 2);
    int[] h = groups(head);
    int[] t = groups(tail);
    if (h == null || t == null) {
      return null;
    }
    int total = h.length + t.length;
    if (gap < 0 ? total != 8 : total > 7) {
      return null;
    }
    int[] out = new int[16];
    for (int i = 0; i < h.length; i++) {
      out[2 * i] = h[i] >> 8;
      out[2 * i + 1] = h[i] & 0xff;
    }
    for (int i = 0; i < t.length; i++) {
      int g = 8 - t.length + i;
      out[2 * g] = t[i] >> 8;
      out[2 * g + 1] = t[i] & 0xff;
    }
    return out;
  }

  /** 16-bit groups separated by ':', the last one possibly a dotted quad (two groups), or null. */
  private static int[] groups(String s) {
    if (s.isEmpty()) {
      return new int[0];
    }
    String[] parts = s.split(":", -1);
    int n = parts.length;
    int[] quad = parts[n - 1].contains(".") ? ipv4(parts[n - 1]) : null;
    if (parts[n - 1].contains(".") && quad == null) {
      return null;
    }
    int[] out = new int[quad == null ? n : n + 1];
    for (int i = 0; i < (quad == null ? n : n - 1); i++) {
      if (!parts[i].matches("[0-9a-f]{1,4}")) {
        return null;
      }
      out[i] = Integer.parseInt(parts[i], 16);
    }
    if (quad != null) {
      out[n - 1] = quad[0] << 8 | quad[1];
      out[n] = quad[2] << 8 | quad[3];
    }
    return out;
  }

  static String ipv4Text(int[] b) {
    return b[0] + "." + b[1] + "." + b[2] + "." + b[3];
  }

  /** RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups as ::. */
  static String ipv6Text(int[] b) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = b[2 * i] << 8 | b[2 * i + 1];
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLen - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(g[i]));
    }
    return out.toString();
  }
}
