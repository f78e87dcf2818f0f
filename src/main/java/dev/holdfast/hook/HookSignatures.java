package dev.holdfast.hook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a delivery comes from a sender that knows the hook's secret. Only GitHub,
 * Gitea/Forgejo and (optionally) JFrog sign the body; Distribution, Harbor and ACR can only send a
 * static header, and Docker Hub and Quay can only put a secret in the URL. Every comparison is
 * constant-time ({@link MessageDigest#isEqual}), and HMACs cover the raw bytes as received (never a
 * re-serialized body). None of these senders signs a timestamp, so a captured delivery replays;
 * dedupe downstream.
 */
public final class HookSignatures {

  private static final String HMAC = "HmacSHA256";

  private HookSignatures() {}

  /**
   * @param rawBody the request body exactly as received
   * @param secret the hook's configured secret; an empty or null one never verifies
   * @param queryToken the {@code token} query parameter, if any
   */
  public static boolean verify(
      RegistryKind kind,
      Headers headers,
      byte[] rawBody,
      String secret,
      Optional<String> queryToken) {
    if (secret == null || secret.isEmpty() || rawBody == null) {
      return false;
    }
    switch (kind) {
      case GITHUB:
        return prefixedHmac(headers.first("X-Hub-Signature-256"), rawBody, secret);
      case GITEA:
        // Gitea sends these headers empty when the hook has no secret: empty never matches.
        return hmac(headers.first("X-Gitea-Signature"), rawBody, secret)
            | hmac(headers.first("X-Forgejo-Signature"), rawBody, secret)
            | prefixedHmac(headers.first("X-Hub-Signature-256"), rawBody, secret);
      case JFROG:
        Optional<String> auth = headers.first("X-JFrog-Event-Auth");
        return same(auth, secret) | hmac(auth, rawBody, secret);
      default:
        return authorization(headers.first("Authorization"), secret) | same(queryToken, secret);
    }
  }

  /** {@code Authorization: Bearer <secret>}, or the secret verbatim (Harbor adds no scheme). */
  private static boolean authorization(Optional<String> header, String secret) {
    if (header.isEmpty()) {
      return false;
    }
    String value = header.get().trim();
    boolean bearer =
        value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ");
    return same(Optional.of(value), secret)
        | (bearer && same(Optional.of(value.substring(7).trim()), secret));
  }

  /** {@code sha256=<hex>}, GitHub's form. */
  private static boolean prefixedHmac(Optional<String> header, byte[] body, String secret) {
    return header
        .map(String::trim)
        .filter(value -> value.startsWith("sha256="))
        .map(value -> hmac(Optional.of(value.substring("sha256=".length())), body, secret))
        .orElse(false);
  }

  /** Bare hex of HMAC-SHA256(secret, body), either case. */
  private static boolean hmac(Optional<String> header, byte[] body, String secret) {
    if (header.isEmpty()) {
      return false;
    }
    byte[] claimed;
    try {
      claimed = HexFormat.of().parseHex(header.get().trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return claimed.length == 32 && MessageDigest.isEqual(hmacSha256(secret, body), claimed);
  }

  /** Compares digests of both, so neither the length nor a prefix of the secret leaks. */
  private static boolean same(Optional<String> given, String secret) {
    return given.isPresent() && MessageDigest.isEqual(sha256(given.get().trim()), sha256(secret));
  }

  static byte[] hmacSha256(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  static String hmacSha256Hex(String secret, byte[] body) {
    return HexFormat.of().formatHex(hmacSha256(secret, body));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
