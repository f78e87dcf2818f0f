package dev.holdfast.dispatch;

import dev.holdfast.run.Run;
import dev.holdfast.run.RunRequest;
import java.util.List;

/**
 * One group a trigger acts on, as its answer says: the action, the members to update (empty: all)
 * and the run it started (null in a dry run).
 */
public record GroupAction(String group, String action, List<String> members, String run) {

  static GroupAction of(RunRequest request, String action, Run run) {
    return new GroupAction(
        request.group(), action, List.copyOf(request.members()), run == null ? null : run.id());
  }
}
