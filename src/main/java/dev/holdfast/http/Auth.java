package dev.holdfast.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Bearer-token check. The token is compared in constant time and never logged. Without a token,
 * reads stay open and mutating calls are refused, unless the operator chose to run without auth on
 * loopback.
 */
final class Auth {

  private final byte[] token;
  private final boolean insecure;

  /**
   * @param token the API token, or null
   * @param insecure run without auth (only allowed on a loopback listener; checked by the caller)
   */
  Auth(String token, boolean insecure) {
    this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    this.insecure = insecure;
  }

  void check(Context ctx, boolean mutating) {
    if (token == null) {
      if (mutating && !insecure) {
        throw new ApiException(
            403,
            "mutating endpoints are off: set HOLDFAST_API_TOKEN, or run with --insecure-no-auth on"
                + " a loopback address");
      }
      return;
    }
    String header = ctx.header("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      throw new ApiException(401, "missing bearer token");
    }
    if (!same(header.substring(7).trim(), new String(token, StandardCharsets.UTF_8))) {
      throw new ApiException(401, "wrong token");
    }
  }

  /** Constant-time comparison of a presented credential with the configured one. */
  static boolean same(String given, String secret) {
    return MessageDigest.isEqual(
        given.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
  }
}
