package dev.holdfast.etcd;

import dev.holdfast.site.Prefix;
import dev.holdfast.site.SiteState;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where the facts of the shared budget live in etcd, under one root ({@code /holdfast/} unless
 * configured), and how their values are spelled:
 *
 * <pre>
 * members/&lt;prefix&gt;/&lt;site&gt;  {"prefixes":[...]}      no lease: a dead holdfast's site stays known
 * state/&lt;site&gt;              ANNOUNCING | WITHDRAWN   lease: missing means UNKNOWN (away)
 * slots/&lt;prefix&gt;/&lt;site&gt;    PLANNED | REPAIR         lease: a dead holdfast's slots expire
 * guard/&lt;prefix&gt;            the last writer         bumped by every write a take must not miss
 * halts/&lt;prefix&gt;            the reason              no lease: every host halts until resumed
 * </pre>
 *
 * Prefixes ({@code 192.0.2.53/32}) and site ids ({@code host/group}) contain '/', so each is one
 * key segment with '%', '/' and control characters percent-encoded: a prefix's keys are then
 * exactly those under {@code members/<prefix>/}, and every key reads back to what it names.
 */
final class EtcdKeys {

  static final String DEFAULT_ROOT = "/holdfast/";

  /** A site of a prefix, as a membership or a slot key names it. */
  record Entry(Prefix prefix, String site) {}

  private final String root;

  EtcdKeys(String root) {
    if (root == null || root.isBlank()) {
      throw new IllegalArgumentException("the etcd key prefix must not be empty");
    }
    if (root.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("the etcd key prefix must not contain control characters");
    }
    this.root = root.endsWith("/") ? root : root + "/";
  }

  String root() {
    return root;
  }

  String members() {
    return root + "members/";
  }

  String members(Prefix p) {
    return members() + segment(p.text()) + "/";
  }

  String member(Prefix p, String site) {
    return members(p) + segment(site);
  }

  String states() {
    return root + "state/";
  }

  String state(String site) {
    return states() + segment(site);
  }

  String slots() {
    return root + "slots/";
  }

  String slots(Prefix p) {
    return slots() + segment(p.text()) + "/";
  }

  String slot(Prefix p, String site) {
    return slots(p) + segment(site);
  }

  String guards() {
    return root + "guard/";
  }

  String guard(Prefix p) {
    return guards() + segment(p.text());
  }

  String halts() {
    return root + "halts/";
  }

  String halt(Prefix p) {
    return halts() + segment(p.text());
  }

  /** The prefix and site of a {@code members/} key; empty for any other key. */
  Optional<Entry> member(String key) {
    return entry(members(), key);
  }

  /** The prefix and site of a {@code slots/} key; empty for any other key. */
  Optional<Entry> slot(String key) {
    return entry(slots(), key);
  }

  /** The site of a {@code state/} key; empty for any other key. */
  Optional<String> stateSite(String key) {
    return single(states(), key);
  }

  /** The prefix of a {@code guard/} key; empty for any other key. */
  Optional<Prefix> guardPrefix(String key) {
    return single(guards(), key).flatMap(EtcdKeys::prefix);
  }

  /** The prefix of a {@code halts/} key; empty for any other key. */
  Optional<Prefix> haltPrefix(String key) {
    return single(halts(), key).flatMap(EtcdKeys::prefix);
  }

  /** A membership value: the site's prefixes, for whoever reads etcd by hand. */
  static String membership(Set<Prefix> prefixes) {
    // canonical prefix texts are digits, hex letters, '.', ':' and '/': nothing JSON escapes
    return prefixes.stream()
        .map(Prefix::text)
        .sorted()
        .map(t -> "\"" + t + "\"")
        .collect(Collectors.joining(",", "{\"prefixes\":[", "]}"));
  }

  /** A state value read back: what is not a known state counts as no report at all. */
  static SiteState state(byte[] value) {
    String v = new String(value, StandardCharsets.UTF_8);
    return v.equals(SiteState.ANNOUNCING.name())
        ? SiteState.ANNOUNCING
        : v.equals(SiteState.WITHDRAWN.name()) ? SiteState.WITHDRAWN : SiteState.UNKNOWN;
  }

  /** One key segment: '%', '/' and control characters as %XX, every other character as is. */
  static String segment(String s) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("an empty name has no etcd key");
    }
    StringBuilder out = new StringBuilder(s.length() + 8);
    s.codePoints()
        .forEach(
            c -> {
              if (reserved(c)) {
                out.append(String.format("%%%02X", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }

  /** The name a segment stands for, or empty when it is no segment {@link #segment} writes. */
  static Optional<String> unsegment(String s) {
    if (s.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
      int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
      if (hi < 0 || lo < 0) {
        return Optional.empty();
      }
      out.append((char) (hi << 4 | lo));
      i += 2;
    }
    String name = out.toString();
    // one spelling per name: "%2f", "%41" or a raw '/' are no segment of ours
    return segment(name).equals(s) ? Optional.of(name) : Optional.empty();
  }

  private static boolean reserved(int c) {
    return c == '%' || c == '/' || c < 0x20 || c == 0x7f;
  }

  private Optional<Entry> entry(String under, String key) {
    if (!key.startsWith(under)) {
      return Optional.empty();
    }
    String rest = key.substring(under.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    Optional<Prefix> p = unsegment(rest.substring(0, slash)).flatMap(EtcdKeys::prefix);
    Optional<String> site = unsegment(rest.substring(slash + 1));
    return p.isPresent() && site.isPresent()
        ? Optional.of(new Entry(p.get(), site.get()))
        : Optional.empty();
  }

  private static Optional<String> single(String under, String key) {
    return key.startsWith(under) ? unsegment(key.substring(under.length())) : Optional.empty();
  }

  private static Optional<Prefix> prefix(String text) {
    try {
      return Optional.of(new Prefix(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a key another tool wrote: not one of ours
    }
  }
}
