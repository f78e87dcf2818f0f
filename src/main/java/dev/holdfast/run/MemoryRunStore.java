package dev.holdfast.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs kept in memory only (tests, and the fallback when the store cannot be opened): at most
 * {@code capacity} runs, the oldest ended ones forgotten first.
 */
public final class MemoryRunStore implements RunStore {

  private final Map<String, RunRecord> runs = new ConcurrentHashMap<>();
  private final int capacity;

  public MemoryRunStore(int capacity) {
    this.capacity = capacity;
  }

  /** Newest first, ties by id: the order of every listing. */
  static final Comparator<RunRecord> NEWEST_FIRST =
      Comparator.comparing(RunRecord::createdAt).reversed().thenComparing(RunRecord::id);

  @Override
  public void save(RunRecord run) {
    runs.put(run.id(), run);
    if (runs.size() > capacity) {
      runs.values().stream()
          .filter(r -> r.endedAt() != null)
          .min(Comparator.comparing(RunRecord::createdAt))
          .ifPresent(r -> runs.remove(r.id()));
    }
  }

  @Override
  public Optional<RunRecord> get(String id) {
    return Optional.ofNullable(runs.get(id));
  }

  @Override
  public List<RunRecord> list(RunQuery query) {
    List<RunRecord> all = new ArrayList<>(runs.values());
    all.sort(NEWEST_FIRST);
    RunRecord cursor = query.before() == null ? null : runs.get(query.before());
    List<RunRecord> out = new ArrayList<>();
    for (RunRecord r : all) {
      if (cursor != null && NEWEST_FIRST.compare(r, cursor) <= 0) {
        continue;
      }
      if (query.matches(r)) {
        out.add(r);
        if (out.size() >= query.limit()) {
          break;
        }
      }
    }
    return out;
  }

  @Override
  public List<RunRecord> unfinished() {
    return runs.values().stream().filter(r -> !r.state().ended()).sorted(NEWEST_FIRST).toList();
  }
}
