package dev.holdfast.plan;

import dev.holdfast.group.AsideNames;
import dev.holdfast.group.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What a run changed so far, read purely from the typed record of its forward steps: exactly what a
 * rollback or a recovery has to undo. A step under way or failed counts as maybe done: every undo
 * step is idempotent.
 *
 * @param runId the run, whose containers are named after it
 * @param touched members the run created a replacement for or stopped, in the order it did
 * @param roles each touched member's role
 * @param fresh member to the temporary name of its replacement
 * @param stopped members the run stopped
 * @param asides member to the name it was set aside under
 * @param placed members whose replacement took their name
 * @param withdrawn routers whose route the run withdrew and has not announced again
 * @param started members whose forward start is done
 * @param gated apps whose forward gate passed
 */
public record Progress(
    String runId,
    List<String> touched,
    Map<String, Role> roles,
    Map<String, String> fresh,
    Set<String> stopped,
    Map<String, String> asides,
    Set<String> placed,
    Set<String> withdrawn,
    Set<String> started,
    Set<String> gated) {

  /**
   * @param roleOf the role of a member (from the forward plan, or from the group as it is now)
   */
  public static Progress of(String runId, List<StepRecord> steps, Function<String, Role> roleOf) {
    List<String> touched = new ArrayList<>();
    Map<String, Role> roles = new LinkedHashMap<>();
    Map<String, String> fresh = new LinkedHashMap<>();
    Set<String> stopped = new LinkedHashSet<>();
    Map<String, String> asides = new LinkedHashMap<>();
    Set<String> placed = new LinkedHashSet<>();
    Set<String> withdrawn = new LinkedHashSet<>();
    Set<String> started = new LinkedHashSet<>();
    Set<String> gated = new LinkedHashSet<>();
    for (StepRecord s : steps) {
      if (s.phase() != Phase.FORWARD || !s.state().happened() || s.target() == null) {
        continue;
      }
      String m = s.target();
      switch (s.action()) {
        case CREATE -> {
          touch(touched, roles, m, roleOf.apply(m));
          fresh.put(m, AsideNames.fresh(m, runId));
        }
        case WITHDRAW -> withdrawn.add(m);
        case STOP -> {
          touch(touched, roles, m, roleOf.apply(m));
          stopped.add(m);
        }
        case SET_ASIDE -> asides.put(m, AsideNames.old(m, runId));
        case PLACE -> placed.add(m);
        case START -> {
          if (s.state() == StepState.DONE) {
            started.add(m);
          }
        }
        case GATE -> {
          if (s.state() == StepState.DONE) {
            gated.add(m);
          }
        }
        case ANNOUNCE -> {
          if (s.state() == StepState.DONE) {
            withdrawn.remove(m);
          }
        }
        default -> {
          // pull, remove: nothing to undo
        }
      }
    }
    return new Progress(
        runId, touched, roles, fresh, stopped, asides, placed, withdrawn, started, gated);
  }

  private static void touch(List<String> touched, Map<String, Role> roles, String m, Role role) {
    roles.put(m, role);
    if (!touched.contains(m)) {
      touched.add(m);
    }
  }

  /** Whether anything that serves traffic was changed (beyond creating replacements). */
  public boolean destructive() {
    return !stopped.isEmpty() || !withdrawn.isEmpty();
  }

  /** Whether the member's replacement passed its gate (a router's: it was started). */
  public boolean passed(String member) {
    return roles.get(member) == Role.ROUTER ? started.contains(member) : gated.contains(member);
  }

  public boolean isApp(String member) {
    return roles.get(member) == Role.APP;
  }
}
