package dev.holdfast.trigger;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code image=} filter of a Watchtower-style {@code /v1/update} call, with the semantics
 * holdfast promises. Watchtower v1.7.1 compares the container's image name cut at its first ':'
 * with the filter text, so a filter with a tag never matches and a registry host with a port
 * breaks; here both sides are normalized with {@link ImageName#parse} first.
 *
 * <ul>
 *   <li>A filter without an explicit tag ({@code foo/bar}, {@code localhost:5000/x}, {@code
 *       127.0.0.1:5055/hf/app}) matches any tag, and any digest, of the same repository.
 *   <li>A filter with an explicit tag ({@code foo/bar:1.0}) matches only that tag.
 *   <li>A filter with a digest ({@code foo/bar@sha256:…}, with or without a tag) matches only an
 *       image with that digest.
 * </ul>
 */
public final class WatchtowerMatch {

  private WatchtowerMatch() {}

  /**
   * Whether one filter value selects this image.
   *
   * @param filter one filter value, as split by {@link #splitFilters}
   * @param image the image of a container, normalized
   * @throws IllegalArgumentException when the filter is not an image reference
   */
  public static boolean matches(String filter, ImageName image) {
    Objects.requireNonNull(image, "image");
    ImageName wanted = ImageName.parse(filter);
    if (!wanted.sameRepository(image)) {
      return false;
    }
    if (!wanted.digest().isEmpty()) {
      return wanted.digest().equals(image.digest());
    }
    if (hasExplicitTag(filter)) {
      return wanted.tag().equals(image.tag());
    }
    return true;
  }

  /**
   * The filter values of a request: each {@code image=} parameter may be repeated and may hold
   * several comma-separated values. Values are trimmed; empty ones are dropped; order is kept.
   *
   * @param imageParams the raw values of every {@code image} query parameter; may be null
   */
  public static List<String> splitFilters(List<String> imageParams) {
    if (imageParams == null) {
      return List.of();
    }
    List<String> filters = new ArrayList<>();
    for (String param : imageParams) {
      if (param == null) {
        continue;
      }
      for (String value : param.split(",", -1)) {
        String trimmed = value.strip();
        if (!trimmed.isEmpty()) {
          filters.add(trimmed);
        }
      }
    }
    return List.copyOf(filters);
  }

  /**
   * {@link ImageName#parse} fills {@code latest} when no tag is given, so whether the filter named
   * a tag is read from its text: a ':' after the last '/' (a ':' before it is a host's port).
   */
  private static boolean hasExplicitTag(String filter) {
    int at = filter.indexOf('@');
    String name = at >= 0 ? filter.substring(0, at) : filter;
    return name.lastIndexOf(':') > name.lastIndexOf('/');
  }
}
