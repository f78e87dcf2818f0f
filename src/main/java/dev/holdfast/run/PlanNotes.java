package dev.holdfast.run;

import dev.holdfast.group.Group;
import dev.holdfast.plan.Plan;
import dev.holdfast.plan.Target;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a plan notes beside its steps, from what choosing its targets found out. */
final class PlanNotes {

  private PlanNotes() {}

  /** Members whose image was built or imported here say so instead of "image unchanged". */
  static Plan withLocalImages(Plan plan, Set<String> local) {
    if (local.isEmpty()) {
      return plan;
    }
    List<String> notes = new java.util.ArrayList<>();
    for (String note : plan.notes()) {
      int colon = note.indexOf(": image unchanged");
      if (colon < 0 || !local.contains(note.substring(0, colon))) {
        notes.add(note);
      }
    }
    for (String member : local) {
      boolean recreated = plan.recreated().contains(member);
      notes.add(
          member
              + ": local image, not pulled"
              + (recreated ? " (its tag names another image now)" : ""));
    }
    return plan.withNotes(notes);
  }

  /**
   * A registry's hook names the digest it stored; the pull is what counts. When they differ the
   * plan says so: the tag was pushed again since, or the hook was stale or forged.
   */
  static Plan withDigests(
      Plan plan, Group group, Map<String, Target> targets, Map<String, String> pushed) {
    List<String> notes = new java.util.ArrayList<>(plan.notes());
    pushed.forEach(
        (member, digest) -> {
          Target t = targets.get(member);
          if (t == null) {
            if (group.member(member).isPresent()) {
              notes.add(member + ": the registry reported " + digest + "; nothing new was pulled");
            }
          } else if (!t.digest().isEmpty() && !t.digest().equals(digest)) {
            notes.add(
                member
                    + ": the registry reported "
                    + digest
                    + " but the pull got "
                    + t.digest()
                    + " (pushed again since, or a stale or forged hook)");
          }
        });
    return notes.size() == plan.notes().size() ? plan : plan.withNotes(notes);
  }
}
