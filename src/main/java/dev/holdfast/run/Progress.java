package dev.holdfast.run;

import dev.holdfast.group.Role;
import dev.holdfast.plan.RouteSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a run has changed so far: exactly what rollback has to undo. */
final class Progress {

  final Map<String, String> fresh = new LinkedHashMap<>();
  final Map<String, Role> roles = new HashMap<>();
  final Set<String> stopped = new LinkedHashSet<>();
  final Map<String, String> asides = new LinkedHashMap<>();
  final Map<String, String> restartPolicies = new HashMap<>();
  final Set<String> placed = new LinkedHashSet<>();
  final Map<String, RouteSpec> withdrawn = new LinkedHashMap<>();
  final List<String> touched = new ArrayList<>();

  void touch(String member, Role role) {
    roles.put(member, role);
    if (!touched.contains(member)) {
      touched.add(member);
    }
  }

  /** Whether anything that serves traffic was changed (beyond creating replacements). */
  boolean destructive() {
    return !stopped.isEmpty() || !withdrawn.isEmpty();
  }
}
