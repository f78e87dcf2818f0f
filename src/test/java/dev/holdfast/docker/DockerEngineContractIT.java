package dev.holdfast.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.Engine;
import dev.holdfast.testing.DockerCli;
import dev.holdfast.testing.EngineContract;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine contract against the real Docker engine. */
class DockerEngineContractIT extends EngineContract {

  private static final String SESSION = UUID.randomUUID().toString().substring(0, 8);
  private static DockerEngine engine;

  @BeforeAll
  static void connect() {
    DockerCli.requireEngine();
    DockerCli.buildTestImages();
    engine = new DockerEngine("unix:///var/run/docker.sock");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    DockerCli.removeSession(SESSION);
    engine.close();
  }

  @Override
  protected Engine engine() {
    return engine;
  }

  @Override
  protected String runHolder(String name) {
    return DockerCli.run(SESSION, "--name", name, "--network", "none", "holdfast-test/holder:1");
  }

  @Override
  protected String runMember(String name, String holderId) {
    return DockerCli.run(
        SESSION,
        "--name",
        name,
        "--label",
        "contract=yes",
        "--network",
        "container:" + holderId,
        image());
  }

  @Override
  protected String image() {
    return "holdfast-test/app:noprobe";
  }

  @Override
  protected String name(String base) {
    return "hf-contract-" + SESSION + "-" + base;
  }

  @Test
  void negotiatesAnApiVersionTheEngineAccepts() {
    assertThat(engine.apiVersion()).matches("1\\.\\d+");
    engine.ping();
  }
}
