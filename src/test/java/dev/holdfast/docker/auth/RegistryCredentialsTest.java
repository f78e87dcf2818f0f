package dev.holdfast.docker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which login a pull uses: holdfast's settings, then its login file, then the Docker client's
 * config.json (auths, identity tokens, credHelpers, credsStore, run as real helper programs written
 * here); and that no error, no toString, ever shows a secret.
 */
class RegistryCredentialsTest {

  private static final String SECRET = "pa55-w0rd-SECRET";

  @TempDir Path dir;

  private RegistryCredentials credentials(
      Map<String, RegistryLogin> logins, Path loginFile, Path config) {
    return new RegistryCredentials(
        logins,
        Optional.ofNullable(loginFile),
        Optional.ofNullable(config),
        CredentialHelpers.in(dir, Duration.ofSeconds(10)));
  }

  private Path config(String json) throws IOException {
    return Files.writeString(dir.resolve("config.json"), json);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A helper program in the test's directory: prints {@code out}, exits with {@code code}. */
  private void helper(String name, String out, int code) throws IOException {
    Path p = dir.resolve("docker-credential-" + name);
    Files.writeString(
        p,
        "#!/bin/sh\nread server\necho \"$server\" > \""
            + dir.resolve(name + ".asked")
            + "\"\ncat <<'EOF'\n"
            + out
            + "\nEOF\nexit "
            + code
            + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  void anImagesRegistryIsItsFirstComponentWithADotOrAPortElseDockerHub() {
    assertThat(RegistryHosts.ofImage("nginx")).isEqualTo("docker.io");
    assertThat(RegistryHosts.ofImage("library/nginx:1.27")).isEqualTo("docker.io");
    assertThat(RegistryHosts.ofImage("index.docker.io/library/nginx")).isEqualTo("docker.io");
    assertThat(RegistryHosts.ofImage("127.0.0.1:5000/hf/app:live")).isEqualTo("127.0.0.1:5000");
    assertThat(RegistryHosts.ofImage("Reg.Example.com/a/b@sha256:" + "a".repeat(64)))
        .isEqualTo("reg.example.com");
    assertThat(RegistryHosts.ofImage("localhost/app")).isEqualTo("localhost");
    assertThat(RegistryHosts.normalize("https://index.docker.io/v1/")).isEqualTo("docker.io");
    assertThat(RegistryHosts.normalize("http://reg.test:5000/")).isEqualTo("reg.test:5000");
    assertThat(RegistryHosts.serverAddress("docker.io")).isEqualTo("https://index.docker.io/v1/");
    assertThat(RegistryHosts.serverAddress("reg.test")).isEqualTo("reg.test");
  }

  @Test
  void theHeaderIsBase64UrlJsonOfTheLoginAndTheServer() throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode basic =
        json.readTree(
            Base64.getUrlDecoder().decode(RegistryLogin.basic("alice", SECRET).header("reg.test")));
    JsonNode token =
        json.readTree(Base64.getUrlDecoder().decode(RegistryLogin.token("tok-1").header("r.t")));

    assertThat(basic.toString())
        .isEqualTo(
            "{\"username\":\"alice\",\"password\":\""
                + SECRET
                + "\",\"serveraddress\":\"reg.test\"}");
    assertThat(token.toString())
        .isEqualTo("{\"identitytoken\":\"tok-1\",\"serveraddress\":\"r.t\"}");
  }

  @Test
  void settingsComeBeforeTheLoginFileWhichComesBeforeConfigJson() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("logins"),
            "# a mounted secret\n\nfile.test=fuser:" + SECRET + " with spaces\nboth.test=f:f\n");
    Path config =
        config(
            "{\"auths\":{\"both.test\":{\"auth\":\""
                + b64("c:c")
                + "\"},\"conf.test\":{\"auth\":\""
                + b64("cuser:" + SECRET)
                + "\"}}}");
    RegistryCredentials c =
        credentials(
            LoginList.parseWords("HOLDFAST_REGISTRY_AUTH", "both.test=s:s env.test=euser:e:p=x"),
            file,
            config);

    assertThat(c.forHost("env.test").get().login())
        .isEqualTo(RegistryLogin.basic("euser", "e:p=x"));
    assertThat(c.forHost("both.test").get().source()).isEqualTo("HOLDFAST_REGISTRY_AUTH");
    assertThat(c.forHost("file.test").get().login())
        .isEqualTo(RegistryLogin.basic("fuser", SECRET + " with spaces"));
    assertThat(c.forHost("file.test").get().source()).isEqualTo(file.toString());
    assertThat(c.forImage("conf.test/app:1").get().login())
        .isEqualTo(RegistryLogin.basic("cuser", SECRET));
    assertThat(c.forHost("other.test")).isEmpty();
    assertThat(RegistryCredentials.NONE.forImage("nginx")).isEmpty();
  }

  @Test
  void configJsonKeysAreMatchedByHostAndHoldEveryKindOfLogin() throws IOException {
    RegistryCredentials c =
        credentials(
            Map.of(),
            null,
            config(
                "{\"auths\":{"
                    + "\"https://index.docker.io/v1/\":{\"auth\":\""
                    + b64("hub:" + SECRET)
                    + "\"},"
                    + "\"https://token.test\":{\"identitytoken\":\"id-token\"},"
                    + "\"split.test\":{\"username\":\"u\",\"password\":\"p\"},"
                    + "\"empty.test\":{}}}"));

    assertThat(c.forImage("nginx:1").get().login()).isEqualTo(RegistryLogin.basic("hub", SECRET));
    assertThat(c.forImage("nginx:1").get().header())
        .isEqualTo(RegistryLogin.basic("hub", SECRET).header("https://index.docker.io/v1/"));
    assertThat(c.forHost("token.test").get().login()).isEqualTo(RegistryLogin.token("id-token"));
    assertThat(c.forHost("split.test").get().login()).isEqualTo(RegistryLogin.basic("u", "p"));
    assertThat(c.forHost("empty.test")).as("listed without a login, no store").isEmpty();
  }

  @Test
  void aConfigDirectoryMeansItsConfigJsonAndAMissingOneMeansNoLogins() throws IOException {
    config("{\"auths\":{\"reg.test\":{\"auth\":\"" + b64("a:b") + "\"}}}");

    assertThat(credentials(Map.of(), null, dir).forHost("reg.test")).isPresent();
    RegistryCredentials absent = credentials(Map.of(), null, dir.resolve("nothing-here"));
    assertThat(absent.forHost("reg.test")).isEmpty();
    assertThat(absent.sources()).contains("nothing-here", "(absent)");
  }

  @Test
  void credHelpersAreRunWithTheServerOnStdinAndTokenUsersAreIdentityTokens() throws IOException {
    helper(
        "fake",
        "{\"ServerURL\":\"reg.test\",\"Username\":\"hu\",\"Secret\":\"" + SECRET + "\"}",
        0);
    helper("tok", "{\"Username\":\"<token>\",\"Secret\":\"refresh-token\"}", 0);
    RegistryCredentials c =
        credentials(
            Map.of(),
            null,
            config(
                "{\"auths\":{\"reg.test\":{\"auth\":\""
                    + b64("ignored:ignored")
                    + "\"}},\"credHelpers\":{\"reg.test\":\"fake\",\"docker.io\":\"tok\"}}"));

    RegistryCredentials.Found found = c.forImage("reg.test/app").get();
    assertThat(found.login()).isEqualTo(RegistryLogin.basic("hu", SECRET));
    assertThat(found.source()).isEqualTo("docker-credential-fake");
    assertThat(Files.readString(dir.resolve("fake.asked")).strip()).isEqualTo("reg.test");
    assertThat(c.forImage("busybox").get().login()).isEqualTo(RegistryLogin.token("refresh-token"));
    assertThat(Files.readString(dir.resolve("tok.asked")).strip())
        .isEqualTo("https://index.docker.io/v1/");
  }

  @Test
  void theCredsStoreIsAskedForTheHostsAuthsListsAndMayHaveNone() throws IOException {
    helper("store", "credentials not found in native keychain", 1);
    RegistryCredentials c =
        credentials(
            Map.of(), null, config("{\"auths\":{\"reg.test\":{}},\"credsStore\":\"store\"}"));

    assertThat(c.forHost("reg.test")).isEmpty();
    assertThat(dir.resolve("store.asked")).exists();
    Files.delete(dir.resolve("store.asked"));
    assertThat(c.forHost("public.test")).isEmpty();
    assertThat(dir.resolve("store.asked")).as("hosts auths does not list").doesNotExist();
  }

  @Test
  void aMissingHelperIsNamedWithItsRegistry() throws IOException {
    RegistryCredentials c =
        credentials(Map.of(), null, config("{\"credHelpers\":{\"reg.test:5000\":\"ecr-login\"}}"));

    assertThatThrownBy(() -> c.forImage("reg.test:5000/app:1"))
        .isInstanceOf(CredentialsException.class)
        .hasMessageStartingWith(
            "credential helper docker-credential-ecr-login for reg.test:5000 is not installed");
  }

  @Test
  void aFailingHelperSaysSoWithoutItsAnswer() throws IOException {
    helper("broken", "keychain locked", 3);
    helper("garbled", "Username=" + SECRET, 0);
    RegistryCredentials c =
        credentials(
            Map.of(),
            null,
            config("{\"credHelpers\":{\"a.test\":\"broken\",\"b.test\":\"garbled\"}}"));

    assertThatThrownBy(() -> c.forHost("a.test"))
        .hasMessage(
            "credential helper docker-credential-broken for a.test failed (exit 3): keychain locked");
    assertThatThrownBy(() -> c.forHost("b.test"))
        .hasMessage(
            "credential helper docker-credential-garbled for b.test answered no Username and Secret")
        .message()
        .doesNotContain(SECRET);
  }

  @Test
  void brokenFilesAreNamedButNeverQuoted() throws IOException {
    Path bad = config("{\"auths\":{\"reg.test\":{\"auth\":\"" + SECRET + "\"}} ,, }");
    assertThatThrownBy(() -> credentials(Map.of(), null, bad).forHost("reg.test"))
        .isInstanceOf(CredentialsException.class)
        .hasMessageStartingWith("Docker config " + bad + " is not valid JSON (line 1, column")
        .message()
        .doesNotContain(SECRET);

    Path notBase64 = config("{\"auths\":{\"reg.test\":{\"auth\":\"" + SECRET + "\"}}}");
    assertThatThrownBy(() -> credentials(Map.of(), null, notBase64).forHost("reg.test"))
        .hasMessage(
            "Docker config "
                + notBase64
                + ": auths entry of reg.test has an auth that is not base64 of user:password");

    Path file = Files.writeString(dir.resolve("logins"), "ok.test=a:b\n" + SECRET + "\n");
    assertThatThrownBy(() -> credentials(Map.of(), file, null).forHost("ok.test"))
        .hasMessage(
            "registry login file "
                + file
                + ": line 2 is not host=user:password (its text is not shown)");
    Path missing = dir.resolve("no-such-secret");
    assertThatThrownBy(() -> credentials(Map.of(), missing, null).forHost("ok.test"))
        .hasMessage("registry login file " + missing + " does not exist");
  }

  @Test
  void settingErrorsNameTheVariableAndTheEntryNotItsText() {
    assertThatThrownBy(() -> LoginList.parseWords("HOLDFAST_REGISTRY_AUTH", "a.test=u:p " + SECRET))
        .hasMessage(
            "HOLDFAST_REGISTRY_AUTH: entry 2 is not host=user:password (its text is not shown)");
    assertThatThrownBy(
            () ->
                LoginList.parseWords(
                    "HOLDFAST_REGISTRY_AUTH", "a.test=u:" + SECRET + " A.test=v:w"))
        .hasMessage("HOLDFAST_REGISTRY_AUTH: a.test is given twice");
    assertThatThrownBy(() -> LoginList.parseWords("K", "a.test=u:")).message().contains("entry 1");
  }

  @Test
  void secretsNeverReachToString() throws IOException {
    RegistryCredentials c =
        credentials(
            Map.of("reg.test", RegistryLogin.basic("alice", SECRET)),
            null,
            config("{\"auths\":{\"tok.test\":{\"identitytoken\":\"" + SECRET + "\"}}}"));

    assertThat(RegistryLogin.basic("alice", SECRET).toString())
        .contains("alice")
        .doesNotContain(SECRET);
    assertThat(RegistryLogin.token(SECRET).toString()).doesNotContain(SECRET);
    assertThat(c.forHost("reg.test").get().toString()).contains("reg.test").doesNotContain(SECRET);
    assertThat(c.forHost("tok.test").get().toString()).doesNotContain(SECRET);
    assertThat(c.toString()).contains("reg.test").doesNotContain(SECRET);
    assertThat(String.join("\n", c.describe())).contains("tok.test").doesNotContain(SECRET);
  }
}
