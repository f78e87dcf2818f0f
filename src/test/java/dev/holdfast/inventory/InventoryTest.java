package dev.holdfast.inventory;

import static dev.holdfast.testing.Containers.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.CreateRequest;
import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineEvent;
import dev.holdfast.engine.ExecResult;
import dev.holdfast.engine.ImageInfo;
import dev.holdfast.testing.FakeEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The inventory answers from memory once the event stream is open, follows the events (changes made
 * outside holdfast) and holdfast's own changes, and reads the engine while no stream is open. The
 * real engine's events are pinned by InventoryIT.
 */
class InventoryTest {

  private final FakeEngine fake = new FakeEngine();
  private final Streamed engine = new Streamed(fake);
  private final Inventory inventory = new Inventory(engine, Duration.ZERO);

  @AfterEach
  void close() {
    inventory.close();
  }

  private List<String> names() {
    return inventory.containers().stream().map(ContainerView::name).toList();
  }

  private void event(String action, ContainerView c) {
    engine.emit(new EngineEvent(action, c.id(), Map.of("name", c.name()), Instant.now()));
  }

  @Test
  void withoutAnEventStreamEveryListReadsTheEngine() {
    fake.run(container("a").build());
    assertThat(names()).containsExactly("a");
    fake.run(container("b").build());
    assertThat(names()).containsExactly("a", "b");
    assertThat(engine.lists.get()).isEqualTo(2);
    assertThat(inventory.live()).isFalse();
  }

  @Test
  void onceTheStreamIsOpenListsCostNoEngineCallAndEventsKeepThemTrue() {
    ContainerView a = fake.run(container("a").build());
    List<EngineEvent> seen = new ArrayList<>();
    inventory.events(seen::add, e -> {});
    int afterOpen = engine.lists.get();
    for (int i = 0; i < 100; i++) {
      assertThat(names()).containsExactly("a");
    }
    assertThat(engine.lists.get()).isEqualTo(afterOpen);

    ContainerView b = fake.run(container("b").build()); // made outside holdfast: an event says so
    event("create", b);
    assertThat(names()).containsExactly("a", "b");
    fake.remove(a.id());
    event("destroy", a);
    assertThat(names()).containsExactly("b");
    assertThat(seen).extracting(EngineEvent::action).containsExactly("create", "destroy");
    assertThat(engine.lists.get()).isEqualTo(afterOpen);
  }

  @Test
  void theGenerationMovesOnEveryChangeAndOnlyThen() {
    ContainerView a = fake.run(container("a").build());
    assertThat(inventory.generation()).as("reads go to the engine").isEqualTo(-1);
    inventory.events(e -> {}, e -> {});
    long g0 = inventory.generation();
    assertThat(g0).isNotNegative();
    inventory.containers();
    event("exec_die", a);
    assertThat(inventory.generation()).isEqualTo(g0);
    event("die", a);
    long g1 = inventory.generation();
    assertThat(g1).isGreaterThan(g0);
    inventory.rename(a.id(), "b");
    assertThat(inventory.generation()).isGreaterThan(g1);
  }

  @Test
  void eventsThatChangeNothingReadNothing() {
    ContainerView a = fake.run(container("a").build());
    inventory.events(e -> {}, e -> {});
    int inspects = engine.inspects.get();
    event("exec_start: birdc show protocols", a);
    event("exec_die", a);
    assertThat(engine.inspects.get()).isEqualTo(inspects);
    event("health_status: healthy", a);
    assertThat(engine.inspects.get()).isEqualTo(inspects + 1);
  }

  @Test
  void holdfastsOwnChangesAreReadBackAtOnceWithoutWaitingForTheirEvents() {
    ContainerView a = fake.run(container("a").build());
    inventory.events(e -> {}, e -> {});
    inventory.rename(a.id(), "a-old");
    assertThat(names()).containsExactly("a-old");
    inventory.stop(a.id());
    assertThat(inventory.containers().get(0).running()).isFalse();
    inventory.remove(a.id());
    assertThat(names()).isEmpty();
  }

  @Test
  void whenTheStreamEndsReadsGoToTheEngineAgainAndTheListenerIsTold() {
    fake.run(container("a").build());
    List<Throwable> ended = new ArrayList<>();
    inventory.events(e -> {}, ended::add);
    assertThat(inventory.live()).isTrue();
    RuntimeException gone = new RuntimeException("engine restarted");
    engine.end(gone);
    assertThat(ended).containsExactly(gone);
    assertThat(inventory.live()).isFalse();
    fake.run(container("b").build()); // no event: the stream is gone
    assertThat(names()).containsExactly("a", "b");
  }

  @Test
  void aResyncCatchesAChangeWhoseEventWasMissed() throws Exception {
    try (Inventory resyncing = new Inventory(engine, Duration.ofMillis(50))) {
      fake.run(container("a").build());
      resyncing.events(e -> {}, e -> {});
      fake.run(container("b").build()); // no event
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> resyncing.containers().size() == 2);
    }
  }

  /** The fake engine with an event stream the test drives, counting full lists and inspects. */
  private static final class Streamed implements Engine {
    private final FakeEngine fake;
    final AtomicInteger lists = new AtomicInteger();
    final AtomicInteger inspects = new AtomicInteger();
    private Consumer<EngineEvent> onEvent = e -> {};
    private Consumer<Throwable> onEnd = e -> {};

    Streamed(FakeEngine fake) {
      this.fake = fake;
    }

    void emit(EngineEvent e) {
      onEvent.accept(e);
    }

    void end(Throwable error) {
      onEnd.accept(error);
    }

    @Override
    public AutoCloseable events(Consumer<EngineEvent> onEvent, Consumer<Throwable> onEnd) {
      this.onEvent = onEvent;
      this.onEnd = onEnd;
      return () -> {};
    }

    @Override
    public List<ContainerView> containers() {
      lists.incrementAndGet();
      return fake.containers();
    }

    @Override
    public Optional<ContainerView> container(String idOrName) {
      inspects.incrementAndGet();
      return fake.container(idOrName);
    }

    @Override
    public void ping() {
      fake.ping();
    }

    @Override
    public Optional<ImageInfo> image(String refOrId) {
      return fake.image(refOrId);
    }

    @Override
    public ImageInfo pull(String ref) {
      return fake.pull(ref);
    }

    @Override
    public Optional<String> remoteDigest(String ref) {
      return fake.remoteDigest(ref);
    }

    @Override
    public void stop(String id) {
      fake.stop(id);
    }

    @Override
    public void start(String id) {
      fake.start(id);
    }

    @Override
    public void rename(String id, String newName) {
      fake.rename(id, newName);
    }

    @Override
    public void setRestartPolicy(String id, String policy) {
      fake.setRestartPolicy(id, policy);
    }

    @Override
    public String create(CreateRequest request) {
      return fake.create(request);
    }

    @Override
    public void remove(String id) {
      fake.remove(id);
    }

    @Override
    public ExecResult exec(String id, List<String> command, Duration timeout) {
      return fake.exec(id, command, timeout);
    }
  }
}
