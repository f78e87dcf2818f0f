package dev.holdfast.testing;

import dev.holdfast.engine.Engine;
import dev.holdfast.engine.ImageInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;

class FakeEngineContractTest extends EngineContract {

  private static final ImageInfo IMAGE =
      new ImageInfo("sha256:" + "c".repeat(64), List.of(), false);
  private final FakeEngine engine = new FakeEngine();

  FakeEngineContractTest() {
    engine.image("contract/app:1", IMAGE, null);
  }

  @Override
  protected Engine engine() {
    return engine;
  }

  @Override
  protected String runHolder(String name) {
    return engine.run(Containers.container(name).build()).id();
  }

  @Override
  protected String runMember(String name, String holderId) {
    return engine
        .run(
            new dev.holdfast.engine.ContainerView(
                Containers.idFor(name),
                name,
                "contract/app:1",
                IMAGE.id(),
                Map.of("contract", "yes"),
                "running",
                Optional.empty(),
                "container:" + holderId,
                java.time.Instant.EPOCH,
                0,
                java.time.Instant.EPOCH,
                "no",
                java.util.List.of()))
        .id();
  }

  @Override
  protected String image() {
    return "contract/app:1";
  }

  @Override
  protected String name(String base) {
    return "contract-" + base;
  }
}
