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

  private final Map<String, RunView> runs = new ConcurrentHashMap<>();
  private final int capacity;

  public MemoryRunStore(int capacity) {
    this.capacity = capacity;
  }

  /** Newest first, ties by id: the order of every listing. */
  static final Comparator<RunView> NEWEST_FIRST =
      Comparator.comparing(RunView::createdAt).reversed().thenComparing(RunView::id);

  @Override
  public void save(RunView run) {
    runs.put(run.id(), run);
    if (runs.size() > capacity) {
      runs.values().stream()
          .filter(r -> r.endedAt() != null)
          .min(Comparator.comparing(RunView::createdAt))
          .ifPresent(r -> runs.remove(r.id()));
    }
  }

  @Override
  public Optional<RunView> get(String id) {
    return Optional.ofNullable(runs.get(id));
  }

  @Override
  public List<RunView> list(RunQuery query) {
    List<RunView> all = new ArrayList<>(runs.values());
    all.sort(NEWEST_FIRST);
    RunView cursor = query.before() == null ? null : runs.get(query.before());
    List<RunView> out = new ArrayList<>();
    for (RunView r : all) {
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
  public List<RunView> unfinished() {
    return runs.values().stream()
        .filter(r -> r.state().equals("queued") || r.state().equals("running"))
        .sorted(NEWEST_FIRST)
        .toList();
  }
}
