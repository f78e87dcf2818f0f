package dev.holdfast.run;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs: those of this process live (in memory, while they run), and every run's record in the
 * {@link RunStore}, which each change is written to.
 */
public final class RunJournal {

  private final Map<String, Run> live = new ConcurrentHashMap<>();
  private final RunStore store;

  public RunJournal(RunStore store) {
    this.store = store;
  }

  /** A journal in memory only, keeping {@code capacity} runs. */
  public RunJournal(int capacity) {
    this(new MemoryRunStore(capacity));
  }

  void add(Run run) {
    live.put(run.id(), run);
    run.persistTo(this::save);
  }

  /** Takes over a run rebuilt from the store (recovery): its changes are written again. */
  void adopt(Run run) {
    add(run);
  }

  private void save(RunRecord record) {
    store.save(record);
    if (record.endedAt() != null) {
      live.remove(record.id());
    }
  }

  /** A run of this process, while it is under way. */
  public Optional<Run> live(String id) {
    return Optional.ofNullable(live.get(id));
  }

  /** A run as the API shows it. */
  public Optional<RunView> get(String id) {
    Run run = live.get(id);
    return run != null ? Optional.of(run.view()) : store.get(id).map(RunRecord::view);
  }

  /** Runs of one group (or all when group is null), newest first, as the API shows them. */
  public List<RunView> list(String group) {
    return list(RunStore.RunQuery.group(group, 1000));
  }

  public List<RunView> list(RunStore.RunQuery query) {
    return store.list(query).stream().map(RunRecord::view).toList();
  }

  public RunStore store() {
    return store;
  }
}
