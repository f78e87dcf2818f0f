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
 * @param pushed per member, the digest a registry said was pushed for its reference; the run notes
 *     when the pull got another one (the tag moved again, or the hook was stale or forged)
 * @param override the operator overrides the withdrawal budget of the group's prefixes for this run
 */
public record RunRequest(
    String group,
    PlanKind kind,
    Set<String> members,
    String trigger,
    java.util.Map<String, String> pushed,
    boolean override) {

  public RunRequest {
    members = Set.copyOf(members);
    pushed = java.util.Map.copyOf(pushed);
  }

  public RunRequest(
      String group,
      PlanKind kind,
      Set<String> members,
      String trigger,
      java.util.Map<String, String> pushed) {
    this(group, kind, members, trigger, pushed, false);
  }

  public RunRequest(String group, PlanKind kind, Set<String> members, String trigger) {
    this(group, kind, members, trigger, java.util.Map.of());
  }
}
