package dev.holdfast.dispatch;

import dev.holdfast.run.Coordinator;
import dev.holdfast.run.Run;
import dev.holdfast.run.RunRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the runs triggers ask for (or, in a dry-run, says which it would start). */
public final class TriggeredRuns {

  private static final Logger log = LoggerFactory.getLogger(TriggeredRuns.class);

  private final Coordinator coordinator;

  TriggeredRuns(Coordinator coordinator) {
    this.coordinator = coordinator;
  }

  /** One group a trigger acts on: its members to update, and the run (null in a dry-run). */
  public record GroupAction(String group, String action, List<String> members, String run) {}

  GroupAction act(RunRequest request, String action, boolean dryRun) {
    List<String> members = List.copyOf(request.members());
    if (dryRun) {
      return new GroupAction(request.group(), action, members, null);
    }
    Run run = coordinator.submit(request);
    log.info(
        "{}: {} of group {} ({}) as run {}",
        request.trigger(),
        action,
        request.group(),
        members.isEmpty() ? "all members" : String.join(", ", members),
        run.id());
    return new GroupAction(request.group(), action, members, run.id());
  }
}
