package dev.holdfast.etcd;

import dev.holdfast.site.Prefix;
import dev.holdfast.site.SiteState;
import dev.holdfast.site.Work;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The transactions of the shared budget over {@link EtcdKeys}' layout, each bounded by the caller's
 * {@link Deadline}. Reads are linearizable (jetcd's default), so a member cut off from the majority
 * cannot answer with what it last knew.
 */
final class EtcdStore {

  // etcd's default --max-txn-ops: a transaction with more operations is refused.
  static final int MAX_TXN_OPS = 128;

  /** An operation, and the prefixes whose guards must move with it (a take must not miss it). */
  record Write(Op op, Set<Prefix> guards) {}

  private final KV kv;
  private final EtcdKeys keys;

  /** The raft term of the last {@link #readAll} answer (0 before one). */
  private volatile long lastTerm;

  EtcdStore(KV kv, EtcdKeys keys) {
    this.kv = kv;
    this.keys = keys;
  }

  /** Every key under the root, at one revision. */
  Facts readAll(Deadline d) throws EtcdDown {
    GetOption all = prefixed();
    TxnResponse r =
        d.await(
            kv.txn()
                .Then(
                    Op.get(bytes(keys.members()), all),
                    Op.get(bytes(keys.states()), all),
                    Op.get(bytes(keys.slots()), all),
                    Op.get(bytes(keys.guards()), all),
                    Op.get(bytes(keys.halts()), all))
                .commit());
    if (r.getHeader() != null) {
      lastTerm = r.getHeader().getRaftTerm();
    }
    List<Facts.Kv> kvs = new ArrayList<>();
    for (GetResponse g : r.getGetResponses()) {
      kvs.addAll(kvs(g));
    }
    return Facts.parse(keys, kvs);
  }

  long lastTerm() {
    return lastTerm;
  }

  Map<Prefix, String> readHalts(Deadline d) throws EtcdDown {
    return Facts.parse(keys, kvs(d.await(kv.get(bytes(keys.halts()), prefixed())))).halts();
  }

  /** Whether a majority answers: one linearizable read of a single key. */
  void probe(Deadline d) throws EtcdDown {
    d.await(kv.get(bytes(keys.root()), GetOption.builder().withCountOnly(true).build()));
  }

  /**
   * The take's one transaction: a slot on every prefix of the site, and their guards moved; when
   * {@code guarded}, only if no guard moved since {@code read}. False when one did.
   */
  boolean takeSlots(
      String id, Set<Prefix> mine, Work work, Facts read, long leaseId, boolean guarded, Deadline d)
      throws EtcdDown {
    List<Cmp> ifs = new ArrayList<>();
    List<Op> then = new ArrayList<>();
    Set<Prefix> sorted = new TreeSet<>(Facts.BY_TEXT);
    sorted.addAll(mine);
    for (Prefix p : sorted) {
      ByteSequence guard = bytes(keys.guard(p));
      if (guarded) {
        // a guard not written yet has mod revision 0, as etcd compares an absent key
        ifs.add(new Cmp(guard, Cmp.Op.EQUAL, CmpTarget.modRevision(read.guard(p))));
      }
      then.add(Op.put(bytes(keys.slot(p, id)), bytes(work.name()), onLease(leaseId)));
      then.add(Op.put(guard, bytes(id), PutOption.DEFAULT));
    }
    TxnResponse r =
        d.await(kv.txn().If(ifs.toArray(Cmp[]::new)).Then(then.toArray(Op[]::new)).commit());
    return r.isSucceeded();
  }

  /** Halts the prefix unless it is halted already: the first reason is the one to look at. */
  void haltIfAbsent(Prefix p, String reason, Deadline d) throws EtcdDown {
    ByteSequence key = bytes(keys.halt(p));
    d.await(
        kv.txn()
            .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)))
            .Then(
                Op.put(key, bytes(reason), PutOption.DEFAULT),
                Op.put(bytes(keys.guard(p)), bytes("halt"), PutOption.DEFAULT))
            .commit());
  }

  /** Deletes the prefix's halt; true when there was one. */
  boolean resume(Prefix p, Deadline d) throws EtcdDown {
    return d.await(kv.delete(bytes(keys.halt(p)))).getDeleted() > 0;
  }

  Write putMember(Prefix p, String site, Set<Prefix> prefixes) {
    // a new or departed member changes who counts; so the guard moves
    return new Write(
        Op.put(
            bytes(keys.member(p, site)), bytes(EtcdKeys.membership(prefixes)), PutOption.DEFAULT),
        Set.of(p));
  }

  Write deleteMember(Prefix p, String site) {
    return new Write(delete(keys.member(p, site)), Set.of(p));
  }

  /** The site's state on the lease; {@link SiteState#UNKNOWN} is no state key at all. */
  Write putState(String site, SiteState state, Set<Prefix> prefixes, long leaseId) {
    return new Write(
        state == SiteState.UNKNOWN
            ? delete(keys.state(site))
            : Op.put(bytes(keys.state(site)), bytes(state.name()), onLease(leaseId)),
        prefixes);
  }

  Write deleteState(String site) {
    return new Write(delete(keys.state(site)), Set.of());
  }

  Write putSlot(Prefix p, String site, Work work, long leaseId) {
    return new Write(
        Op.put(bytes(keys.slot(p, site)), bytes(work.name()), onLease(leaseId)), Set.of(p));
  }

  /** A slot given back: nobody's decision gets less safe, so no guard moves. */
  Write deleteSlot(Prefix p, String site) {
    return new Write(delete(keys.slot(p, site)), Set.of());
  }

  /**
   * Writes in transactions etcd accepts, each moving the guards of the prefixes it touches, so a
   * take that read before any of them fails and reads again.
   */
  void commit(List<Write> writes, Deadline d) throws EtcdDown {
    List<Op> batch = new ArrayList<>();
    Set<Prefix> guards = new LinkedHashSet<>();
    for (Write w : writes) {
      Set<Prefix> more = new LinkedHashSet<>(guards);
      more.addAll(w.guards());
      if (!batch.isEmpty() && batch.size() + 1 + more.size() > MAX_TXN_OPS) {
        commitBatch(batch, guards, d);
        batch = new ArrayList<>();
        more = new LinkedHashSet<>(w.guards());
      }
      batch.add(w.op());
      guards = more;
    }
    if (!batch.isEmpty()) {
      commitBatch(batch, guards, d);
    }
  }

  private void commitBatch(List<Op> batch, Set<Prefix> guards, Deadline d) throws EtcdDown {
    List<Op> ops = new ArrayList<>(batch);
    for (Prefix p : guards) {
      ops.add(Op.put(bytes(keys.guard(p)), bytes("sync"), PutOption.DEFAULT));
    }
    d.await(kv.txn().Then(ops.toArray(Op[]::new)).commit());
  }

  private static List<Facts.Kv> kvs(GetResponse r) {
    List<Facts.Kv> out = new ArrayList<>(r.getKvs().size());
    for (KeyValue kv : r.getKvs()) {
      out.add(
          new Facts.Kv(
              kv.getKey().toString(StandardCharsets.UTF_8),
              kv.getValue().getBytes(),
              kv.getModRevision()));
    }
    return out;
  }

  private static PutOption onLease(long leaseId) {
    return PutOption.builder().withLeaseId(leaseId).build();
  }

  private static Op delete(String key) {
    return Op.delete(bytes(key), DeleteOption.DEFAULT);
  }

  private static GetOption prefixed() {
    return GetOption.builder().isPrefix(true).build();
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
