package dev.holdfast.trigger;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image name normalized the way the engine resolves it, so that names written differently by a
 * registry, a notification and a container compare equal: {@code nginx}, {@code library/nginx},
 * {@code docker.io/library/nginx:latest} and {@code index.docker.io/library/nginx} are one name.
 * Host and repository are lower-cased (a registry host is case-insensitive, and repositories are
 * lower-case by the distribution spec); the tag keeps its case.
 *
 * @param host the registry host, with its port when one was given; {@code docker.io} by default
 * @param repository the path below the host, e.g. {@code library/nginx}
 * @param tag the tag; {@code latest} when neither tag nor digest was given, empty when only a
 *     digest was
 * @param digest the digest, or empty
 */
public record ImageName(String host, String repository, String tag, String digest) {

  public static final String DOCKER_HUB = "docker.io";

  /** A tag can never hold ':' or '/', which tells a digest passed as a "tag" apart. */
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

  private static final Pattern DIGEST =
      Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}");
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");

  /**
   * @throws IllegalArgumentException when the text is not an image reference
   */
  public static ImageName parse(String reference) {
    if (reference == null
        || reference.isBlank()
        || reference.length() > 512
        || reference
            .chars()
            .anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new IllegalArgumentException("'" + clip(reference) + "' is not an image reference");
    }
    String rest = reference;
    String digest = "";
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw new IllegalArgumentException("'" + clip(reference) + "' has a malformed digest");
      }
    }
    int slash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    String tag = "";
    if (colon > slash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException("'" + clip(reference) + "' has a malformed tag");
      }
    }
    String host = DOCKER_HUB;
    String path = rest;
    int first = rest.indexOf('/');
    if (first > 0) {
      String head = rest.substring(0, first);
      if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
        host = head.toLowerCase(Locale.ROOT);
        path = rest.substring(first + 1);
      }
    }
    if (host.equals("index.docker.io") || host.equals("registry-1.docker.io")) {
      host = DOCKER_HUB;
    }
    path = path.toLowerCase(Locale.ROOT);
    if (host.equals(DOCKER_HUB) && !path.contains("/")) {
      path = "library/" + path;
    }
    for (String component : path.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        throw new IllegalArgumentException(
            "'" + clip(reference) + "' has a malformed repository path");
      }
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = "latest";
    }
    return new ImageName(host, path, tag, digest.toLowerCase(Locale.ROOT));
  }

  /** Whether this text can be a tag (a digest or a path sent as a "tag" cannot). */
  public static boolean isTag(String text) {
    return text != null && TAG.matcher(text).matches();
  }

  /** Whether this text is a content digest such as {@code sha256:<hex>}. */
  public static boolean isDigest(String text) {
    return text != null && DIGEST.matcher(text).matches();
  }

  /** {@code host/repository}: what two names must share to be the same repository. */
  public String repositoryKey() {
    return host + "/" + repository;
  }

  public boolean sameRepository(ImageName other) {
    return repositoryKey().equals(other.repositoryKey());
  }

  /** The same name with another tag and no digest. */
  public ImageName withTag(String newTag) {
    return new ImageName(host, repository, newTag, "");
  }

  /** The full normalized reference, e.g. {@code docker.io/library/nginx:1.27}. */
  @Override
  public String toString() {
    return repositoryKey()
        + (tag.isEmpty() ? "" : ":" + tag)
        + (digest.isEmpty() ? "" : "@" + digest);
  }

  private static String clip(String text) {
    if (text == null) {
      return "null";
    }
    String printable = text.replaceAll("\\p{Cntrl}", "?");
    return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
  }
}
