package dev.holdfast.run;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where runs and their steps outlive the process (the embedded store), or only memory. */
public interface RunStore {

  /** Writes the run as it is now (insert or replace, steps included). */
  void save(RunRecord run);

  Optional<RunRecord> get(String id);

  /** Runs matching the query, newest first. */
  List<RunRecord> list(RunQuery query);

  /** Runs the last process left queued or running: what recovery must finish. */
  List<RunRecord> unfinished();

  /**
   * A page of history.
   *
   * @param group only this group, or null
   * @param kind update or heal, or null
   * @param state a run state label, or null
   * @param since only runs created at or after this, or null
   * @param before only runs created before this run (the previous page's last id), or null
   * @param limit at most this many
   */
  record RunQuery(
      String group, String kind, String state, Instant since, String before, int limit) {

    public static RunQuery all(int limit) {
      return new RunQuery(null, null, null, null, null, limit);
    }

    public static RunQuery group(String group, int limit) {
      return new RunQuery(group, null, null, null, null, limit);
    }

    boolean matches(RunRecord r) {
      return (group == null || group.equals(r.group()))
          && (kind == null || kind.equals(r.kind().label()))
          && (state == null || state.equals(r.state().label()))
          && (since == null || !r.createdAt().isBefore(since));
    }
  }
}
