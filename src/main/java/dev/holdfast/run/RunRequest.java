package dev.holdfast.run;

import dev.holdfast.plan.PlanKind;
import java.util.Set;

/**
 * A request for a run.
 *
 * @param group the group
 * @param kind update or heal
 * @param members the members to update; empty means all
 * @param trigger who asked (api, cli, event, reconcile, ...), for the record
 */
public record RunRequest(String group, PlanKind kind, Set<String> members, String trigger) {

  public RunRequest {
    members = Set.copyOf(members);
  }
}
