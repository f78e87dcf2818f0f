package dev.holdfast.route;

import java.util.List;
import java.util.Map;

/** Where each group's route intent and its recent changes outlive the process. */
public interface RouteStore {

  /** Records one change of a group's route (the newest is the intent). */
  void record(String group, RouteIntent change);

  /** Per group, its last {@code perGroup} changes, newest first. */
  Map<String, List<RouteIntent>> load(int perGroup);

  /** Nothing kept (tests, and the fallback when the store cannot be opened). */
  RouteStore NONE =
      new RouteStore() {
        @Override
        public void record(String group, RouteIntent change) {}

        @Override
        public Map<String, List<RouteIntent>> load(int perGroup) {
          return Map.of();
        }
      };
}
