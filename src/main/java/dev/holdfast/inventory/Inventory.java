package dev.holdfast.inventory;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.CreateRequest;
import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineEvent;
import dev.holdfast.engine.EngineException;
import dev.holdfast.engine.ExecResult;
import dev.holdfast.engine.ImageInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's containers kept in memory from its events, so that listing them (every API read,
 * every reconcile pass, every hook) costs no engine call: the engine is read in full once when its
 * event stream opens, each container again when an event says it changed, and in full every {@code
 * resync} as the safety net against a missed event.
 *
 * <p>While no event stream is open (at start, after the engine restarted) {@link #containers()}
 * reads the engine as before. holdfast's own changes (create, start, stop, rename, remove) are read
 * back at once, so a run never sees the engine as it was before its own step. Single-container
 * reads always ask the engine: a run decides on what the engine says now.
 */
public final class Inventory implements Engine, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Inventory.class);

  /** The actions after which a container reads differently; exec_* and the like do not count. */
  static final Set<String> CHANGES =
      Set.of(
          "create", "start", "restart", "die", "stop", "kill", "destroy", "rename", "update",
          "pause", "unpause", "oom", "attach", "detach");

  private final Engine engine;
  private final Duration resync;
  private final ScheduledExecutorService scheduler;
  private final Map<String, ContainerView> byId = new ConcurrentHashMap<>();

  /** Each event's sequence number, and the last one per container (to order reads). */
  private final AtomicLong seq = new AtomicLong();

  private final Map<String, Long> touched = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean live;
  private volatile AutoCloseable upstream;
  private volatile boolean closed;

  private record Listener(Consumer<EngineEvent> onEvent, Consumer<Throwable> onEnd) {}

  /**
   * @param resync how often the engine is read in full even while events flow; zero never
   */
  public Inventory(Engine engine, Duration resync) {
    this.engine = engine;
    this.resync = resync;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "holdfast-inventory");
              t.setDaemon(true);
              return t;
            });
    if (!resync.isZero()) {
      scheduler.scheduleWithFixedDelay(
          this::resyncQuietly, resync.toMillis(), resync.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Whether reads come from memory (an event stream is open and was followed by a full read). */
  public boolean live() {
    return live;
  }

  /** Moves on every change the inventory took in; -1 while reads go to the engine. */
  @Override
  public long generation() {
    return live ? seq.get() : -1;
  }

  @Override
  public List<ContainerView> containers() {
    if (live) {
      List<ContainerView> out = new ArrayList<>(byId.values());
      out.sort(Comparator.comparing(ContainerView::name));
      return out;
    }
    return readAll();
  }

  /** Reads every container from the engine and keeps what no newer event said otherwise. */
  private List<ContainerView> readAll() {
    long before = seq.get();
    List<ContainerView> all = engine.containers();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    for (ContainerView c : all) {
      seen.add(c.id());
      if (touched.getOrDefault(c.id(), 0L) <= before) {
        byId.put(c.id(), c);
      }
    }
    byId.keySet().removeIf(id -> !seen.contains(id) && touched.getOrDefault(id, 0L) <= before);
    seq.incrementAndGet(); // a full read may have changed anything
    touched.entrySet().removeIf(t -> t.getValue() <= before && !seen.contains(t.getKey()));
    return all;
  }

  private void resyncQuietly() {
    try {
      readAll();
    } catch (EngineException e) {
      log.debug("inventory resync skipped: {}", e.getMessage());
    }
  }

  /** Reads one container again (after an event or holdfast's own change). */
  private void refresh(String id) {
    long mark = seq.incrementAndGet();
    touched.put(id, mark);
    try {
      Optional<ContainerView> c = engine.container(id);
      if (c.isPresent()) {
        byId.put(c.get().id(), c.get());
      } else {
        forget(id);
      }
      seq.incrementAndGet(); // after the change: a reader that saw the old number reads again
    } catch (EngineException e) {
      // the next event, resync or full read corrects it; meanwhile reads ask the engine
      live = false;
      log.debug("inventory: {} not read again ({}); reading in full next", id, e.getMessage());
      scheduler.execute(this::relive);
    }
  }

  /** Drops a container the engine no longer has, named by id, id prefix or name. */
  private void forget(String idOrName) {
    byId.values()
        .removeIf(
            c ->
                c.id().equals(idOrName)
                    || (idOrName.length() >= 12 && c.id().startsWith(idOrName))
                    || c.name().equals(idOrName));
  }

  /** After a failed refresh: one full read, then memory again if the stream is still open. */
  private void relive() {
    if (upstream == null || closed) {
      return;
    }
    try {
      readAll();
      live = true;
    } catch (EngineException e) {
      scheduler.schedule(this::relive, 1, TimeUnit.SECONDS);
    }
  }

  @Override
  public AutoCloseable events(Consumer<EngineEvent> onEvent, Consumer<Throwable> onEnd) {
    Listener l = new Listener(onEvent, onEnd);
    synchronized (this) {
      if (upstream == null) {
        open(); // throws when the engine does not answer: the caller tries again
      }
      listeners.add(l);
    }
    return () -> listeners.remove(l);
  }

  /** Opens the one stream from the engine, then reads the engine in full. */
  private synchronized void open() {
    upstream = engine.events(this::onEvent, this::onEnd);
    try {
      readAll(); // what changed before the stream opened
      live = true;
      log.info("inventory follows the engine's events ({} containers)", byId.size());
    } catch (EngineException e) {
      scheduler.execute(this::relive);
    }
  }

  private void onEvent(EngineEvent e) {
    if (e.containerId() != null
        && (CHANGES.contains(e.action()) || e.action().startsWith("health_status"))) {
      if (e.action().equals("destroy")) {
        byId.remove(e.containerId());
        touched.put(e.containerId(), seq.incrementAndGet());
      } else {
        refresh(e.containerId());
      }
    }
    for (Listener l : listeners) {
      l.onEvent().accept(e); // after the inventory: a listener that reads sees the change
    }
  }

  private void onEnd(Throwable error) {
    synchronized (this) {
      live = false;
      upstream = null;
    }
    List<Listener> ended = new ArrayList<>(listeners);
    listeners.clear();
    // listeners follow again (and so open the stream again); meanwhile reads ask the engine
    ended.forEach(l -> l.onEnd().accept(error));
  }

  @Override
  public void close() {
    closed = true;
    live = false;
    scheduler.shutdownNow();
    AutoCloseable s = upstream;
    if (s != null) {
      try {
        s.close();
      } catch (Exception e) {
        log.debug("closing the inventory's event stream: {}", e.getMessage());
      }
    }
  }

  // --- everything else goes to the engine; holdfast's own changes are read back at once ---

  @Override
  public void ping() {
    engine.ping();
  }

  @Override
  public Optional<ContainerView> container(String idOrName) {
    return engine.container(idOrName);
  }

  @Override
  public Optional<ImageInfo> image(String refOrId) {
    return engine.image(refOrId);
  }

  @Override
  public ImageInfo pull(String ref) {
    return engine.pull(ref);
  }

  @Override
  public Optional<String> remoteDigest(String ref) {
    return engine.remoteDigest(ref);
  }

  @Override
  public void stop(String id) {
    try {
      engine.stop(id);
    } finally {
      refresh(id);
    }
  }

  @Override
  public void start(String id) {
    try {
      engine.start(id);
    } finally {
      refresh(id);
    }
  }

  @Override
  public void rename(String id, String newName) {
    try {
      engine.rename(id, newName);
    } finally {
      refresh(id);
    }
  }

  @Override
  public void setRestartPolicy(String id, String policy) {
    try {
      engine.setRestartPolicy(id, policy);
    } finally {
      refresh(id);
    }
  }

  @Override
  public String create(CreateRequest request) {
    String id = engine.create(request);
    refresh(id);
    return id;
  }

  @Override
  public void remove(String id) {
    try {
      engine.remove(id);
    } finally {
      refresh(id);
    }
  }

  @Override
  public ExecResult exec(String id, List<String> command, Duration timeout) {
    return engine.exec(id, command, timeout);
  }
}
