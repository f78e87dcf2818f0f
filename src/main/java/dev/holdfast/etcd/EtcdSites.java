package dev.holdfast.etcd;

import dev.holdfast.site.Admission;
import dev.holdfast.site.Budget;
import dev.holdfast.site.Prefix;
import dev.holdfast.site.PrefixBudget;
import dev.holdfast.site.Site;
import dev.holdfast.site.SiteState;
import dev.holdfast.site.Sites;
import dev.holdfast.site.Work;
import io.etcd.jetcd.Client;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budget of prefixes whose sites run on several hosts, shared through etcd: every holdfast
 * instance of those hosts connects one of these to the same cluster and key prefix. A take reads
 * everything at one revision, lets {@link PrefixBudget} decide, and records the slots in one
 * transaction that only succeeds while each prefix's guard key is as read; every write a decision
 * depends on bumps those guards, so two hosts taking at once cannot both pass.
 *
 * <p>It fails closed: without an answer from an etcd majority within {@link #DEFAULT_TIMEOUT} (or
 * without a live lease) planned work waits, while repairs go and have their slots recorded once
 * etcd answers. State and slot keys hang on this instance's lease, so a holdfast that dies stops
 * holding slots and its sites turn {@link SiteState#UNKNOWN} (away) one TTL later; membership and
 * halts have no lease, so a dead holdfast's site stays known and a halt holds on every host.
 *
 * <p>What this instance said about its own sites is kept here and written again whenever etcd may
 * lack it: after a failed write, and with every new lease.
 */
public final class EtcdSites implements Sites, AutoCloseable {

  public static final String DEFAULT_KEY_PREFIX = EtcdKeys.DEFAULT_ROOT;
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

  /** The bound of every call, however many round trips it takes. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(EtcdSites.class);

  // How often the keeper renews a lost lease, writes what etcd lacks, or checks etcd answers.
  private static final Duration TICK = Duration.ofSeconds(1);

  // Guards bumped between a take's read and its write send it round again; this many rounds in a
  // row only happen under a storm of writes, and the run asks again later.
  private static final int TAKE_ROUNDS = 5;

  private final Client client;
  private final EtcdStore store;
  private final Map<Prefix, Budget> budgets;
  private final Duration timeout;
  private final LeaseKeeper lease;
  private final LeaderWatch leader;
  private final ScheduledExecutorService keeper;
  private final AtomicBoolean closed = new AtomicBoolean();

  // One writer at a time: a flush must not undo a slot a take is recording.
  private final ReentrantLock writes = new ReentrantLock();

  // This instance's sites, as the reporter and the runs said (guarded by this).
  private final Map<String, Set<Prefix>> prefixesOf = new TreeMap<>();
  private final Map<String, SiteState> stateOf = new TreeMap<>();
  private final Map<String, Held> held = new TreeMap<>();
  private final Map<String, Long> dirty = new TreeMap<>();
  private final Set<String> forgotten = new TreeSet<>();
  // The prefixes whose member and slot keys etcd may hold for a site, as far as this process wrote
  // them; a site missing here is looked up in etcd (an earlier run of this instance wrote it).
  private final Map<String, Set<Prefix>> written = new HashMap<>();
  private final Map<Prefix, String> pendingHalts = new TreeMap<>(Facts.BY_TEXT);
  private long stamp;
  private long syncedGeneration;

  private volatile String down;
  private volatile Facts lastFacts = Facts.NONE;
  private volatile Map<Prefix, String> lastHalts = Map.of();

  private record Held(Set<Prefix> prefixes, Work work) {}

  EtcdSites(
      Client client,
      String keyPrefix,
      Duration ttl,
      Duration timeout,
      Map<Prefix, Budget> budgets) {
    if (ttl.compareTo(Duration.ofSeconds(2)) < 0) {
      throw new IllegalArgumentException("the etcd lease TTL must be 2 s or more, not " + ttl);
    }
    if (timeout.compareTo(Duration.ofMillis(200)) < 0) {
      throw new IllegalArgumentException("the etcd timeout must be 200 ms or more, not " + timeout);
    }
    this.client = client;
    this.store = new EtcdStore(client.getKVClient(), new EtcdKeys(keyPrefix));
    this.budgets = Map.copyOf(budgets);
    this.timeout = timeout;
    this.leader = new LeaderWatch(ttl, System::nanoTime);
    this.lease = new LeaseKeeper(client.getLeaseClient(), (ttl.toMillis() + 999) / 1000);
    this.keeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "holdfast-etcd-keeper");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Connects to an etcd cluster and takes a lease; returns within {@link #DEFAULT_TIMEOUT} even
   * when etcd does not answer (then planned work waits until it does, and {@link #problem()} says
   * why).
   *
   * @param endpoints the cluster's client URLs, e.g. {@code http://10.0.0.1:2379}
   * @param keyPrefix where every key goes ({@link #DEFAULT_KEY_PREFIX}); the same on every host
   * @param ttl the lease: how long a killed holdfast's slots outlive it ({@link #DEFAULT_TTL})
   * @param budgets each prefix's budget; others have {@link Budget#DEFAULT}
   */
  public static EtcdSites connect(
      List<String> endpoints, String keyPrefix, Duration ttl, Map<Prefix, Budget> budgets) {
    return connect(endpoints, keyPrefix, ttl, DEFAULT_TIMEOUT, budgets);
  }

  /**
   * {@link #connect(List, String, Duration, Map)} with another bound for every call than {@link
   * #DEFAULT_TIMEOUT}.
   */
  public static EtcdSites connect(
      List<String> endpoints,
      String keyPrefix,
      Duration ttl,
      Duration timeout,
      Map<Prefix, Budget> budgets) {
    List<URI> uris = endpoints(endpoints);
    Client client =
        Client.builder()
            .endpoints(uris)
            .connectTimeout(timeout)
            // jetcd retries reads behind our back; quickly, and not past the caller's bound
            .retryDelay(50)
            .retryMaxDelay(timeout.toMillis() / 2)
            .retryMaxDuration(timeout)
            // an endpoint that is down fails the call at once, and round robin picks another
            .waitForReady(false)
            // a member that lost its leader refuses instead of waiting: a minority never answers
            .header("hasleader", "true")
            .keepaliveTime(Duration.ofSeconds(5))
            .keepaliveTimeout(Duration.ofSeconds(3))
            .build();
    EtcdSites sites;
    try {
      sites = new EtcdSites(client, keyPrefix, ttl, timeout, budgets);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    try {
      sites.start();
    } catch (RuntimeException e) {
      sites.close();
      throw e;
    }
    return sites;
  }

  private static List<URI> endpoints(List<String> endpoints) {
    if (endpoints == null || endpoints.isEmpty()) {
      throw new IllegalArgumentException("no etcd endpoint (e.g. http://127.0.0.1:2379)");
    }
    List<URI> out = new ArrayList<>();
    for (String e : endpoints) {
      URI u;
      try {
        u = URI.create(e.strip());
      } catch (IllegalArgumentException x) {
        throw new IllegalArgumentException("'" + e + "' is no etcd endpoint: http://HOST:PORT", x);
      }
      if (!"http".equals(u.getScheme()) || u.getHost() == null || u.getPort() < 0) {
        throw new IllegalArgumentException(
            "'" + e + "' is no etcd endpoint: http://HOST:PORT (TLS is not supported yet)");
      }
      out.add(u);
    }
    return out;
  }

  private void start() {
    Deadline d = Deadline.after(timeout);
    try {
      lease.grant(d);
      up();
    } catch (EtcdDown e) {
      down(e);
    }
    keeper.scheduleWithFixedDelay(
        this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void report(String id, Set<Prefix> prefixes, SiteState state) {
    Set<Prefix> ps = Set.copyOf(prefixes);
    synchronized (this) {
      forgotten.remove(id);
      boolean same = ps.equals(prefixesOf.get(id)) && state == stateOf.get(id);
      prefixesOf.put(id, ps);
      stateOf.put(id, state);
      if (same && !dirty.containsKey(id)) {
        return; // the lease keeps the keys; nothing to write
      }
      dirty.put(id, ++stamp);
    }
    flushNow();
  }

  @Override
  public void forget(String id) {
    synchronized (this) {
      prefixesOf.remove(id);
      stateOf.remove(id);
      held.remove(id);
      dirty.remove(id);
      forgotten.add(id);
    }
    flushNow();
  }

  @Override
  public Admission take(String id, Work work, boolean override) {
    Set<Prefix> mine;
    synchronized (this) {
      Held h = held.get(id);
      if (h != null) {
        return new Admission(true, "slots held already on " + sorted(h.prefixes()));
      }
      mine = prefixesOf.getOrDefault(id, Set.of());
      if (mine.isEmpty()) {
        held.put(id, new Held(Set.of(), work));
        return PrefixBudget.admitAll(Map.of(), budgets, Map.of(), id, work, override);
      }
    }
    if (work == Work.REPAIR && down != null) {
      return repairAlone(id, mine, unreachable(down));
    }
    if (lease.current() == 0) {
      return work == Work.REPAIR
          ? repairAlone(id, mine, lease.lostReason())
          : new Admission(false, noLease());
    }
    Deadline d = Deadline.after(timeout);
    if (!d.lock(writes)) {
      String why = "another call of this holdfast is still waiting for etcd";
      return work == Work.REPAIR
          ? repairAlone(id, mine, why)
          : new Admission(false, unreachable(why));
    }
    try {
      flush(d);
      long leaseId = lease.current();
      if (leaseId == 0) {
        return work == Work.REPAIR
            ? repairAlone(id, mine, lease.lostReason())
            : new Admission(false, noLease());
      }
      for (int round = 1; round <= TAKE_ROUNDS; round++) {
        Facts facts = readAll(d);
        Map<Prefix, List<Site>> sites = new LinkedHashMap<>();
        Map<Prefix, List<Site>> all = facts.sites(local());
        for (Prefix p : mine) {
          sites.put(p, all.getOrDefault(p, List.of()));
        }
        Admission a = PrefixBudget.admitAll(sites, budgets, halts(facts), id, work, override);
        Optional<String> stale = work == Work.PLANNED ? leader.stale() : Optional.empty();
        if (a.granted() && stale.isPresent() && !override) {
          up();
          return new Admission(false, sorted(mine) + ": " + stale.get());
        }
        if (!a.granted()) {
          up();
          return a;
        }
        // a repair goes whatever changed meanwhile; planned work only on what it saw
        if (store.takeSlots(id, mine, work, facts, leaseId, work == Work.PLANNED, d)) {
          synchronized (this) {
            held.put(id, new Held(mine, work));
          }
          up();
          return a;
        }
      }
      up();
      return new Admission(
          false,
          sorted(mine)
              + ": the budget changed "
              + TAKE_ROUNDS
              + " times while holdfast decided; it asks again");
    } catch (EtcdDown e) {
      down(e);
      synchronized (this) {
        dirty.put(id, ++stamp); // a slot that landed after all is deleted by the next flush
      }
      if (work == Work.REPAIR) {
        return repairAlone(
            id, mine, e.leaseGone() ? lease.lostReason() : unreachable(e.getMessage()));
      }
      return new Admission(false, e.leaseGone() ? noLease() : unreachable(e.getMessage()));
    } finally {
      writes.unlock();
    }
  }

  @Override
  public void release(String id) {
    synchronized (this) {
      if (held.remove(id) == null) {
        return;
      }
      if (prefixesOf.containsKey(id)) {
        dirty.put(id, ++stamp);
      }
    }
    flushNow();
  }

  @Override
  public synchronized boolean holdsSlot(String id) {
    return held.containsKey(id);
  }

  /**
   * What etcd said at the last read that answered, with this instance's sites as it knows them;
   * while etcd is known not to answer, that read without asking again (the keeper asks).
   */
  @Override
  public Map<Prefix, List<Site>> view() {
    if (down == null) {
      try {
        readAll(Deadline.after(timeout));
        up();
      } catch (EtcdDown e) {
        down(e);
      }
    }
    return lastFacts.sites(local());
  }

  @Override
  public Budget budget(Prefix p) {
    return budgets.getOrDefault(p, Budget.DEFAULT);
  }

  /** Halts on every host: the key has no lease. The first reason stays, as with a local halt. */
  @Override
  public void halt(Set<Prefix> prefixes, String reason) {
    synchronized (this) {
      for (Prefix p : prefixes) {
        pendingHalts.putIfAbsent(p, reason);
      }
    }
    flushNow();
  }

  /**
   * @throws IllegalStateException when etcd does not answer: the prefix may be halted there still,
   *     so nothing changed
   */
  @Override
  public boolean resume(Prefix p) {
    Deadline d = Deadline.after(timeout);
    if (!d.lock(writes)) {
      throw new IllegalStateException(
          unreachable("another call of this holdfast is still waiting for etcd")
              + "; "
              + p
              + " stays halted, try again");
    }
    try {
      String pending;
      synchronized (this) {
        pending = pendingHalts.remove(p);
      }
      try {
        boolean deleted = store.resume(p, d);
        up();
        Map<Prefix, String> h = new TreeMap<>(Facts.BY_TEXT);
        h.putAll(lastHalts);
        h.remove(p);
        lastHalts = h;
        return pending != null || deleted;
      } catch (EtcdDown e) {
        down(e);
        if (pending != null) {
          synchronized (this) {
            pendingHalts.putIfAbsent(p, pending);
          }
        }
        throw new IllegalStateException(
            unreachable(e.getMessage()) + "; " + p + " stays halted until etcd answers");
      }
    } finally {
      writes.unlock();
    }
  }

  @Override
  public Map<Prefix, String> halts() {
    if (down == null) {
      try {
        Deadline d = Deadline.after(timeout);
        lastHalts = store.readHalts(d);
        up();
      } catch (EtcdDown e) {
        down(e);
      }
    }
    synchronized (this) {
      return halts(new Facts(Map.of(), Map.of(), Map.of(), Map.of(), lastHalts));
    }
  }

  @Override
  public Optional<String> problem() {
    String d = down;
    Optional<String> l = lease.problem();
    if (d != null) {
      return Optional.of(unreachable(d) + l.map(x -> "; " + x).orElse(""));
    }
    return l;
  }

  /** Stops the keeper and revokes the lease: this instance's slots and states go at once. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    keeper.shutdownNow();
    lease.revoke(Deadline.after(timeout));
    client.close();
  }

  /**
   * Stops as a SIGKILLed holdfast would: no more keep-alives, the lease not revoked, so its keys
   * last until etcd expires it (for tests).
   */
  void abandon() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    keeper.shutdownNow();
    lease.abandon();
    client.close();
  }

  /** When etcd last granted or renewed this instance's lease (for tests). */
  Optional<Instant> leaseRenewed() {
    return lease.renewed();
  }

  private void tick() {
    if (!writes.tryLock()) {
      return; // a call is talking to etcd right now; it tells us how that went
    }
    try {
      Deadline d = Deadline.after(timeout);
      if (lease.current() == 0) {
        lease.grant(d);
      }
      if (!flush(d)) {
        store.probe(d);
      }
      up();
    } catch (EtcdDown e) {
      down(e);
    } catch (RuntimeException e) {
      if (down == null) {
        LOG.warn("etcd keeper failed", e);
      }
      down(new EtcdDown(String.valueOf(e.getMessage()), false));
    } finally {
      writes.unlock();
    }
  }

  /** Writes now what changed, unless etcd is known not to answer: the keeper does it then. */
  private void flushNow() {
    if (down != null) {
      return;
    }
    Deadline d = Deadline.after(timeout);
    if (!d.lock(writes)) {
      return;
    }
    try {
      flush(d);
      up();
    } catch (EtcdDown e) {
      down(e);
    } finally {
      writes.unlock();
    }
  }

  /**
   * Writes every key of this instance's sites that etcd may lack (all of them with a new lease),
   * deletes those of forgotten sites and slots given back, and records pending halts. Needs {@link
   * #writes}. False when there was nothing to write.
   */
  private boolean flush(Deadline d) throws EtcdDown {
    long generation = lease.generation();
    long leaseId = lease.current();
    Map<String, Long> stamps;
    Facts.Local local;
    Set<String> gone;
    Map<Prefix, String> halts;
    synchronized (this) {
      if (leaseId != 0 && generation != syncedGeneration) {
        for (String id : prefixesOf.keySet()) {
          dirty.put(id, ++stamp);
        }
      }
      stamps = new TreeMap<>(dirty);
      local = local();
      gone = new TreeSet<>(forgotten);
      halts = new TreeMap<>(Facts.BY_TEXT);
      halts.putAll(pendingHalts);
      if (stamps.isEmpty() && gone.isEmpty() && halts.isEmpty()) {
        if (leaseId != 0) {
          syncedGeneration = generation;
        }
        return false;
      }
    }
    Map<String, Set<Prefix>> before = new HashMap<>();
    boolean scan;
    synchronized (this) {
      for (String id : stamps.keySet()) {
        if (written.containsKey(id)) {
          before.put(id, Set.copyOf(written.get(id)));
        }
      }
      scan = !gone.isEmpty() || !before.keySet().containsAll(stamps.keySet());
    }
    Facts there = scan ? readAll(d) : Facts.NONE;
    List<EtcdStore.Write> ops = new ArrayList<>();
    for (String id : stamps.keySet()) {
      Set<Prefix> ps = local.prefixesOf().getOrDefault(id, Set.of());
      if (!ps.equals(before.get(id))) {
        for (Prefix p : ps) {
          ops.add(store.putMember(p, id, ps));
        }
      }
      // prefixes the site no longer announces: this process wrote them, or an earlier run did
      Set<Prefix> stale = new TreeSet<>(Facts.BY_TEXT);
      if (before.containsKey(id)) {
        stale.addAll(before.get(id));
      } else {
        stale.addAll(there.prefixesOf(id));
        stale.addAll(there.slotsOf(id));
      }
      stale.removeAll(ps);
      for (Prefix p : stale) {
        ops.add(store.deleteMember(p, id));
        ops.add(store.deleteSlot(p, id));
      }
      if (leaseId == 0) {
        continue; // state and slots wait for a lease
      }
      ops.add(store.putState(id, local.stateOf().getOrDefault(id, SiteState.UNKNOWN), ps, leaseId));
      Set<Prefix> slots = local.held().getOrDefault(id, Set.of());
      Work work;
      synchronized (this) {
        Held h = held.get(id);
        work = h == null ? Work.PLANNED : h.work();
      }
      for (Prefix p : ps) {
        ops.add(slots.contains(p) ? store.putSlot(p, id, work, leaseId) : store.deleteSlot(p, id));
      }
    }
    for (String id : gone) {
      ops.add(store.deleteState(id));
      Set<Prefix> had = new TreeSet<>(Facts.BY_TEXT);
      had.addAll(there.prefixesOf(id));
      had.addAll(there.slotsOf(id));
      synchronized (this) {
        had.addAll(written.getOrDefault(id, Set.of()));
      }
      for (Prefix p : had) {
        ops.add(store.deleteMember(p, id));
        ops.add(store.deleteSlot(p, id));
      }
    }
    synchronized (this) {
      // before the write: a transaction that fails half way may still have landed
      for (String id : stamps.keySet()) {
        Set<Prefix> may = new TreeSet<>(Facts.BY_TEXT);
        if (written.containsKey(id)) {
          may.addAll(written.get(id));
        } else {
          may.addAll(there.prefixesOf(id));
          may.addAll(there.slotsOf(id));
        }
        may.addAll(local.prefixesOf().getOrDefault(id, Set.of()));
        written.put(id, may);
      }
    }
    store.commit(ops, d);
    synchronized (this) {
      stamps.forEach(
          (id, s) -> {
            written.put(id, Set.copyOf(local.prefixesOf().getOrDefault(id, Set.of())));
            if (leaseId != 0) {
              dirty.remove(id, s);
            }
          });
      for (String id : gone) {
        if (forgotten.contains(id)) {
          written.remove(id);
        }
      }
      forgotten.removeAll(gone);
      if (leaseId != 0 && dirty.isEmpty()) {
        syncedGeneration = generation;
      }
    }
    flushHalts(halts, d);
    return true;
  }

  private void flushHalts(Map<Prefix, String> halts, Deadline d) throws EtcdDown {
    for (Map.Entry<Prefix, String> h : halts.entrySet()) {
      store.haltIfAbsent(h.getKey(), h.getValue(), d);
      synchronized (this) {
        pendingHalts.remove(h.getKey(), h.getValue());
      }
    }
  }

  /** Every key under the root, remembered for a view while etcd does not answer. */
  private Facts readAll(Deadline d) throws EtcdDown {
    Facts facts = store.readAll(d);
    leader.saw(store.lastTerm());
    lastFacts = facts;
    lastHalts = facts.halts();
    return facts;
  }

  private synchronized Facts.Local local() {
    Map<String, Set<Prefix>> h = new TreeMap<>();
    held.forEach((id, x) -> h.put(id, x.prefixes()));
    return new Facts.Local(
        new TreeMap<>(prefixesOf), new TreeMap<>(stateOf), h, new TreeSet<>(forgotten));
  }

  /** The halts etcd has, with those not written yet (etcd's reason first). */
  private synchronized Map<Prefix, String> halts(Facts facts) {
    Map<Prefix, String> out = new TreeMap<>(Facts.BY_TEXT);
    out.putAll(facts.halts());
    pendingHalts.forEach(out::putIfAbsent);
    return new LinkedHashMap<>(out);
  }

  private Admission repairAlone(String id, Set<Prefix> mine, String why) {
    synchronized (this) {
      held.put(id, new Held(mine, Work.REPAIR));
      dirty.put(id, ++stamp);
    }
    return new Admission(
        true,
        sorted(mine)
            + ": "
            + why
            + "; a repair of a broken site never waits (its slot is recorded once etcd answers)");
  }

  private String noLease() {
    return lease.isLost()
        ? lease.lostReason()
        : unreachable(down == null ? "no lease granted yet" : down);
  }

  private static String unreachable(String why) {
    return "etcd unreachable or without quorum (" + why + "): no planned withdrawal starts";
  }

  private void up() {
    if (down != null) {
      LOG.info("etcd answers again");
      down = null;
    }
  }

  private void down(EtcdDown e) {
    if (e.leaseGone()) {
      lease.lose("etcd refused a write on it: the lease is gone");
      return;
    }
    if (down == null) {
      LOG.warn("etcd unreachable or without quorum, planned withdrawals wait: {}", e.getMessage());
    }
    down = e.getMessage();
  }

  private static List<String> sorted(Set<Prefix> ps) {
    return ps.stream().map(Prefix::text).sorted().toList();
  }
}
