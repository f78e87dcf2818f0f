package dev.holdfast.store;

import dev.holdfast.plan.Phase;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.plan.StepAction;
import dev.holdfast.plan.StepRecord;
import dev.holdfast.plan.StepState;
import dev.holdfast.run.RunRecord;
import dev.holdfast.run.RunState;
import dev.holdfast.run.RunStore;
import dev.holdfast.run.StoreHealth;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs and their steps in the embedded store. A save replaces the run's row and all its steps in
 * one transaction; at most {@code keepEnded} ended runs are kept, the oldest pruned every {@value
 * #PRUNE_EVERY} saves (and at start-up). Listings are ordered as {@code MemoryRunStore}'s: newest
 * first, ties by id (ids are ASCII, so SQLite's byte order is Java's).
 */
public final class SqliteRunStore implements RunStore {

  static final int PRUNE_EVERY = 100;

  private static final String RUN_COLUMNS =
      "id, group_name, kind, trigger_text, state, created_at, started_at, ended_at, plan, error";
  private static final String NEWEST_FIRST = " ORDER BY created_at DESC, id ASC";

  private final Sqlite db;
  private final StoreHealth health;
  private final int keepEnded;
  private final AtomicLong saves = new AtomicLong();

  /**
   * @param keepEnded how many ended runs to keep (unfinished ones are always kept)
   */
  public SqliteRunStore(Sqlite db, StoreHealth health, int keepEnded) {
    this.db = db;
    this.health = health;
    this.keepEnded = keepEnded;
    prune();
  }

  @Override
  public void save(RunRecord run) {
    db.write(
        "run " + run.id(),
        health,
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO runs ("
                      + RUN_COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                      + " group_name = excluded.group_name, kind = excluded.kind,"
                      + " trigger_text = excluded.trigger_text, state = excluded.state,"
                      + " created_at = excluded.created_at, started_at = excluded.started_at,"
                      + " ended_at = excluded.ended_at, plan = excluded.plan,"
                      + " error = excluded.error")) {
            p.setString(1, run.id());
            p.setString(2, run.group());
            p.setString(3, run.kind().label());
            p.setString(4, run.trigger());
            p.setString(5, run.state().label());
            p.setString(6, Times.text(run.createdAt()));
            p.setString(7, Times.text(run.startedAt()));
            p.setString(8, Times.text(run.endedAt()));
            p.setString(9, run.plan());
            p.setString(10, run.error());
            p.executeUpdate();
          }
          Sqlite.update(c, "DELETE FROM steps WHERE run_id = ?", run.id());
          List<StepRecord> steps = run.steps() == null ? List.of() : run.steps();
          if (!steps.isEmpty()) {
            try (PreparedStatement p =
                c.prepareStatement(
                    "INSERT INTO steps (run_id, idx, step, action, phase, target, state,"
                        + " started_at, ended_at, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
              for (int i = 0; i < steps.size(); i++) {
                StepRecord s = steps.get(i);
                p.setString(1, run.id());
                p.setInt(2, i);
                p.setString(3, s.text());
                p.setString(4, s.action().label());
                p.setString(5, s.phase().label());
                p.setString(6, s.target());
                p.setString(7, s.state().label());
                p.setString(8, Times.text(s.startedAt()));
                p.setString(9, Times.text(s.endedAt()));
                p.setString(10, s.error());
                p.addBatch();
              }
              p.executeBatch();
            }
          }
        });
    if (saves.incrementAndGet() % PRUNE_EVERY == 0) {
      prune();
    }
  }

  /** Forgets the oldest ended runs (and their steps) beyond {@code keepEnded}. */
  void prune() {
    db.write(
        "pruned runs",
        health,
        // steps go with them: ON DELETE CASCADE
        c ->
            Sqlite.update(
                c,
                "DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE ended_at IS NOT NULL"
                    + NEWEST_FIRST
                    + " LIMIT -1 OFFSET ?)",
                keepEnded));
  }

  @Override
  public Optional<RunRecord> get(String id) {
    return db.read(
        "run " + id,
        c -> {
          try (PreparedStatement p =
              c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE id = ?")) {
            p.setString(1, id);
            return withSteps(c, rows(p)).stream().findFirst();
          }
        });
  }

  @Override
  public List<RunRecord> list(RunQuery query) {
    if (query.limit() <= 0) {
      return List.of();
    }
    return db.read(
        "runs",
        c -> {
          StringBuilder sql = new StringBuilder("SELECT " + RUN_COLUMNS + " FROM runs WHERE 1 = 1");
          List<String> args = new ArrayList<>();
          if (query.group() != null) {
            sql.append(" AND group_name = ?");
            args.add(query.group());
          }
          if (query.kind() != null) {
            sql.append(" AND kind = ?");
            args.add(query.kind());
          }
          if (query.state() != null) {
            sql.append(" AND state = ?");
            args.add(query.state());
          }
          if (query.since() != null) {
            sql.append(" AND created_at >= ?");
            args.add(Times.text(query.since()));
          }
          String cursorAt = query.before() == null ? null : createdAt(c, query.before());
          if (cursorAt != null) { // an unknown cursor is ignored, as MemoryRunStore does
            sql.append(" AND (created_at < ? OR (created_at = ? AND id > ?))");
            args.add(cursorAt);
            args.add(cursorAt);
            args.add(query.before());
          }
          sql.append(NEWEST_FIRST).append(" LIMIT ").append(query.limit());
          try (PreparedStatement p = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
              p.setString(i + 1, args.get(i));
            }
            return withSteps(c, rows(p));
          }
        });
  }

  @Override
  public List<RunRecord> unfinished() {
    return db.read(
        "unfinished runs",
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT "
                      + RUN_COLUMNS
                      + " FROM runs WHERE state IN ('queued', 'running')"
                      + NEWEST_FIRST)) {
            return withSteps(c, rows(p));
          }
        });
  }

  private static String createdAt(Connection c, String id) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT created_at FROM runs WHERE id = ?")) {
      p.setString(1, id);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  /** The runs' rows, steps still empty. */
  private static List<RunRecord> rows(PreparedStatement p) throws SQLException {
    List<RunRecord> out = new ArrayList<>();
    try (ResultSet r = p.executeQuery()) {
      while (r.next()) {
        out.add(
            new RunRecord(
                r.getString(1),
                r.getString(2),
                PlanKind.valueOf(r.getString(3).toUpperCase(java.util.Locale.ROOT)),
                r.getString(4),
                RunState.of(r.getString(5)),
                Times.instant(r.getString(6)),
                Times.instant(r.getString(7)),
                Times.instant(r.getString(8)),
                r.getString(9),
                List.of(),
                r.getString(10)));
      }
    }
    return out;
  }

  private static List<RunRecord> withSteps(Connection c, List<RunRecord> runs) throws SQLException {
    if (runs.isEmpty()) {
      return runs;
    }
    Map<String, List<StepRecord>> steps = new HashMap<>();
    String marks = String.join(", ", java.util.Collections.nCopies(runs.size(), "?"));
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT run_id, step, action, phase, target, state, started_at, ended_at, error"
                + " FROM steps"
                + " WHERE run_id IN ("
                + marks
                + ") ORDER BY run_id, idx")) {
      for (int i = 0; i < runs.size(); i++) {
        p.setString(i + 1, runs.get(i).id());
      }
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          steps
              .computeIfAbsent(r.getString(1), k -> new ArrayList<>())
              .add(
                  new StepRecord(
                      r.getString(2),
                      StepAction.of(r.getString(3)),
                      Phase.of(r.getString(4)),
                      r.getString(5),
                      StepState.of(r.getString(6)),
                      Times.instant(r.getString(7)),
                      Times.instant(r.getString(8)),
                      r.getString(9)));
        }
      }
    }
    List<RunRecord> out = new ArrayList<>(runs.size());
    for (RunRecord v : runs) {
      out.add(
          new RunRecord(
              v.id(),
              v.group(),
              v.kind(),
              v.trigger(),
              v.state(),
              v.createdAt(),
              v.startedAt(),
              v.endedAt(),
              v.plan(),
              List.copyOf(steps.getOrDefault(v.id(), List.of())),
              v.error()));
    }
    return List.copyOf(out);
  }
}
