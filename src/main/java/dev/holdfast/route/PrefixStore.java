package dev.holdfast.route;

import dev.holdfast.site.Prefix;
import java.util.Map;
import java.util.Set;

/**
 * Where the prefixes each group's router was last seen to announce outlive the process: a BIRD
 * router shows no routes while its anycast protocols are disabled, and a restart in that state must
 * still know which prefixes the site is away from.
 */
public interface PrefixStore {

  void save(String group, Set<Prefix> prefixes);

  Map<String, Set<Prefix>> load();

  /** Nothing kept (tests, and the fallback when the store cannot be opened). */
  PrefixStore NONE =
      new PrefixStore() {
        @Override
        public void save(String group, Set<Prefix> prefixes) {}

        @Override
        public Map<String, Set<Prefix>> load() {
          return Map.of();
        }
      };
}
