package dev.holdfast.plan;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The ordered steps of one run over one group, computed without side effects.
 *
 * @param kind update or heal
 * @param group the group name
 * @param holder holder name and short id, for the reader
 * @param holderId the holder's full id: probes run in its namespace
 * @param steps what the runner will do, in order
 * @param notes why members are left alone (unchanged image, already attached)
 * @param holderStartedAt when the holder planned against started: a holder that restarts during the
 *     run leaves members started before in its old namespace; {@link Instant#EPOCH} when unknown (a
 *     plan rebuilt by recovery)
 * @param memberIds the container id of each member as planned: a member another tool recreated
 *     meanwhile is not the one the plan was made for
 * @param restartPolicies each member's restart policy as planned: a rollback gives it back to the
 *     old container it set aside
 * @param phase forward, or the rollback or recovery of a run
 * @param because why a rollback or recovery plan exists (empty for a forward plan)
 */
public record Plan(
    PlanKind kind,
    String group,
    String holder,
    String holderId,
    List<Step> steps,
    List<String> notes,
    Instant holderStartedAt,
    Map<String, String> memberIds,
    Map<String, String> restartPolicies,
    Phase phase,
    String because) {

  public Plan {
    steps = List.copyOf(steps);
    notes = List.copyOf(notes);
    memberIds = Map.copyOf(memberIds);
    restartPolicies = Map.copyOf(restartPolicies);
  }

  /** A forward plan without the holder's start time or the members' ids and policies. */
  public Plan(
      PlanKind kind,
      String group,
      String holder,
      String holderId,
      List<Step> steps,
      List<String> notes) {
    this(
        kind,
        group,
        holder,
        holderId,
        steps,
        notes,
        Instant.EPOCH,
        Map.of(),
        Map.of(),
        Phase.FORWARD,
        "");
  }

  /** The same plan with other notes. */
  public Plan withNotes(List<String> other) {
    return new Plan(
        kind,
        group,
        holder,
        holderId,
        steps,
        other,
        holderStartedAt,
        memberIds,
        restartPolicies,
        phase,
        because);
  }

  /** A rollback or recovery of this plan's run: same group and holder, these steps. */
  public Plan followedBy(Phase next, String why, List<Step> nextSteps, List<String> nextNotes) {
    return new Plan(
        kind,
        group,
        holder,
        holderId,
        nextSteps,
        nextNotes,
        holderStartedAt,
        memberIds,
        restartPolicies,
        next,
        why);
  }

  /** The members this plan recreates, in order. */
  public List<String> recreated() {
    return steps.stream()
        .filter(s -> s instanceof Step.Start)
        .map(s -> ((Step.Start) s).target())
        .toList();
  }

  public boolean isEmpty() {
    return steps.isEmpty();
  }

  /** The plan as text: what dry-runs print and what tests compare. */
  public String render() {
    StringBuilder out = new StringBuilder();
    if (phase != Phase.FORWARD) {
      out.append(phase.label()).append(" of ");
    }
    out.append(kind.label())
        .append(" group ")
        .append(group)
        .append(" (holder ")
        .append(holder)
        .append(")");
    if (!because.isEmpty()) {
      out.append(": ").append(because);
    }
    out.append('\n');
    if (steps.isEmpty()) {
      out.append("  nothing to do\n");
    }
    out.append(
        IntStream.range(0, steps.size())
            .mapToObj(i -> String.format("%3d. %s%n", i + 1, steps.get(i).render()))
            .collect(Collectors.joining()));
    for (String note : notes) {
      out.append("  note: ").append(note).append('\n');
    }
    return out.toString();
  }
}
