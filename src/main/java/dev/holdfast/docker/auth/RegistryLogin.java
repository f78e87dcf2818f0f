package dev.holdfast.docker.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A login to one registry: a user name and password, or an identity token (an OAuth refresh token a
 * registry handed out at {@code docker login}). {@link #toString()} never shows the secret.
 *
 * @param username the user; empty with an identity token
 * @param password the password; empty with an identity token
 * @param identityToken the identity token, or empty
 */
public record RegistryLogin(String username, String password, String identityToken) {

  /** The user name a credential helper answers with when its secret is an identity token. */
  static final String TOKEN_USER = "<token>";

  private static final ObjectMapper JSON = new ObjectMapper();

  public RegistryLogin {
    Objects.requireNonNull(username);
    Objects.requireNonNull(password);
    Objects.requireNonNull(identityToken);
  }

  public static RegistryLogin basic(String username, String password) {
    return new RegistryLogin(username, password, "");
  }

  public static RegistryLogin token(String identityToken) {
    return new RegistryLogin("", "", identityToken);
  }

  /** A user and secret as helpers give them: user {@code <token>} marks an identity token. */
  static RegistryLogin of(String username, String secret) {
    return TOKEN_USER.equals(username) ? token(secret) : basic(username, secret);
  }

  /**
   * The engine's {@code X-Registry-Auth} header value: base64url of {@code {"username", "password",
   * "serveraddress"}} or {@code {"identitytoken", "serveraddress"}}.
   */
  public String header(String serverAddress) {
    ObjectNode n = JSON.createObjectNode();
    if (identityToken.isEmpty()) {
      n.put("username", username);
      n.put("password", password);
    } else {
      n.put("identitytoken", identityToken);
    }
    n.put("serveraddress", serverAddress);
    return Base64.getUrlEncoder().encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Who logs in, never the secret. */
  @Override
  public String toString() {
    return identityToken.isEmpty()
        ? "RegistryLogin[user=" + username + ", password=(hidden)]"
        : "RegistryLogin[identity token (hidden)]";
  }
}
