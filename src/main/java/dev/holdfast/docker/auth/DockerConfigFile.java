package dev.holdfast.docker.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Docker client {@code config.json} as the Docker CLI reads it for a pull: {@code
 * credHelpers.<host>} names the helper that has the host's login; else {@code auths.<host>} holds
 * it ({@code auth}: base64 of {@code user:password}, or {@code username} and {@code password}, or
 * {@code identitytoken}); else, for a host {@code auths} lists without a login (where {@code docker
 * login} marks hosts whose login it put in a store), the {@code credsStore} helper has it. Keys are
 * matched by host ({@code https://index.docker.io/v1/} is {@code docker.io}). Errors name the file
 * and the key, never a value.
 *
 * @param auths per normalized host, its {@code auths} entry
 * @param helpers per normalized host, its {@code credHelpers} helper name
 * @param store the {@code credsStore} helper name, or empty
 */
record DockerConfigFile(
    Path file, Map<String, JsonNode> auths, Map<String, String> helpers, String store) {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** The file's contents; empty when there is no such file (as for the Docker CLI). */
  static Optional<DockerConfigFile> read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new CredentialsException("cannot read Docker config " + file + ": " + e);
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      // Jackson's message may quote the text around the error: only its position is shown
      com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
      throw new CredentialsException(
          "Docker config "
              + file
              + " is not valid JSON"
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      throw new CredentialsException("cannot read Docker config " + file + ": " + e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return Optional.of(new DockerConfigFile(file, Map.of(), Map.of(), ""));
    }
    if (!root.isObject()) {
      throw new CredentialsException("Docker config " + file + " is not a JSON object");
    }
    Map<String, JsonNode> auths = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object(root, "auths", file); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isObject()) {
        throw new CredentialsException(
            "Docker config " + file + ": auths." + e.getKey() + " is not an object");
      }
      auths.putIfAbsent(RegistryHosts.normalize(e.getKey()), e.getValue());
    }
    Map<String, String> helpers = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object(root, "credHelpers", file);
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new CredentialsException(
            "Docker config " + file + ": credHelpers." + e.getKey() + " is not a helper name");
      }
      helpers.putIfAbsent(RegistryHosts.normalize(e.getKey()), e.getValue().asText());
    }
    JsonNode store = root.path("credsStore");
    if (!store.isMissingNode() && !store.isNull() && !store.isTextual()) {
      throw new CredentialsException("Docker config " + file + ": credsStore is not a helper name");
    }
    return Optional.of(
        new DockerConfigFile(file, Map.copyOf(auths), Map.copyOf(helpers), store.asText("")));
  }

  private static Iterator<Map.Entry<String, JsonNode>> object(JsonNode root, String key, Path f) {
    JsonNode n = root.path(key);
    if (n.isMissingNode() || n.isNull()) {
      return java.util.Collections.emptyIterator();
    }
    if (!n.isObject()) {
      throw new CredentialsException("Docker config " + f + ": " + key + " is not an object");
    }
    return n.properties().iterator();
  }

  /** The login for a host, and where it came from; empty when the file has none. */
  Optional<RegistryCredentials.Found> find(String host, CredentialHelpers run) {
    String helper = helpers.get(host);
    if (helper != null && !helper.isEmpty()) {
      String origin = "credHelpers of " + file;
      return run.get(helper, host, origin)
          .map(l -> new RegistryCredentials.Found(host, l, CredentialHelpers.program(helper)));
    }
    JsonNode entry = auths.get(host);
    if (entry == null) {
      return Optional.empty();
    }
    Optional<RegistryLogin> inline = inline(host, entry);
    if (inline.isPresent()) {
      return inline.map(l -> new RegistryCredentials.Found(host, l, file.toString()));
    }
    if (!store.isEmpty()) {
      return run.get(store, host, "credsStore of " + file)
          .map(l -> new RegistryCredentials.Found(host, l, CredentialHelpers.program(store)));
    }
    return Optional.empty();
  }

  private Optional<RegistryLogin> inline(String host, JsonNode entry) {
    String token = entry.path("identitytoken").asText("");
    if (!token.isEmpty()) {
      return Optional.of(RegistryLogin.token(token));
    }
    String auth = entry.path("auth").asText("");
    if (!auth.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        decoded = "";
      }
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        throw new CredentialsException(
            "Docker config "
                + file
                + ": auths entry of "
                + host
                + " has an auth that is not base64 of user:password");
      }
      return Optional.of(
          RegistryLogin.basic(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }
    String user = entry.path("username").asText("");
    String password = entry.path("password").asText("");
    if (!user.isEmpty() && !password.isEmpty()) {
      return Optional.of(RegistryLogin.basic(user, password));
    }
    return Optional.empty();
  }

  /** Hosts with a login or a helper, for the start-up log. */
  java.util.Set<String> hosts() {
    java.util.Set<String> out = new java.util.TreeSet<>(helpers.keySet());
    out.addAll(auths.keySet());
    return out;
  }

  /** Never the entries: they hold secrets. */
  @Override
  public String toString() {
    return "DockerConfigFile[" + file + ", hosts=" + hosts() + "]";
  }
}
