package dev.holdfast.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The runs of this process, newest first; keeps at most {@code capacity} ended runs. */
public final class RunJournal {

  private final Map<String, Run> runs = new ConcurrentHashMap<>();
  private final int capacity;

  public RunJournal(int capacity) {
    this.capacity = capacity;
  }

  void add(Run run) {
    runs.put(run.id(), run);
    if (runs.size() > capacity) {
      runs.values().stream()
          .filter(r -> r.state().ended())
          .min(Comparator.comparing(r -> r.view().createdAt()))
          .ifPresent(r -> runs.remove(r.id()));
    }
  }

  public Optional<Run> get(String id) {
    return Optional.ofNullable(runs.get(id));
  }

  /** Runs of one group (or all when group is null), newest first. */
  public List<RunView> list(String group) {
    List<RunView> out = new ArrayList<>();
    for (Run r : runs.values()) {
      if (group == null || r.group().equals(group)) {
        out.add(r.view());
      }
    }
    out.sort(Comparator.comparing(RunView::createdAt).reversed().thenComparing(RunView::id));
    return out;
  }
}
