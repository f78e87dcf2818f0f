package dev.holdfast.site;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the sites of every prefix and their withdrawal slots are kept: in this process ({@link
 * SiteBook}, the one-host budget) or shared by the holdfast instances of several hosts (etcd). Runs
 * ask it before a withdrawal ({@link #take}) and give the slot back once their site announces again
 * and drained ({@link #release}); the site reporter tells it what each local site does ({@link
 * #report}).
 *
 * <p>Every call answers within a few seconds, whatever the store behind it does: a store that
 * cannot answer makes {@link #take} wait planned work ("fail closed") and let repairs go.
 */
public interface Sites {

  /**
   * What local site {@code id} ({@code <instance>/<group>}) announces, and whether it does now.
   * Reported at every change and periodically; a site whose reports stop counts as {@link
   * SiteState#UNKNOWN} where the store can tell (etcd: once its lease expires).
   */
  void report(String id, Set<Prefix> prefixes, SiteState state);

  /** Local site {@code id} is gone for good (its group was removed): it is no site any more. */
  void forget(String id);

  /**
   * Takes withdrawal slots on every prefix of site {@code id} when each prefix's budget lets it and
   * none is halted for planned work; changes nothing when they do not. A site that holds its slots
   * already gets them again (a retried step). Never blocks for long: the caller waits and asks
   * again.
   */
  Admission take(String id, Work work, boolean override);

  /** Gives the slots of site {@code id} back (it re-announced and drained, or gave up). */
  void release(String id);

  boolean holdsSlot(String id);

  /** Every known prefix with its sites, for the status. */
  Map<Prefix, List<Site>> view();

  /** The budget of a prefix (configured, else {@link Budget#DEFAULT}). */
  Budget budget(Prefix p);

  /**
   * Stops planned work on these prefixes until an operator resumes them: a site's planned run on
   * them failed or rolled back. Repairs of broken sites are never halted.
   */
  void halt(Set<Prefix> prefixes, String reason);

  /** Lets planned work on the prefix go on; true when it was halted. */
  boolean resume(Prefix p);

  /** The halted prefixes and why. */
  Map<Prefix, String> halts();

  /** Why the store cannot be trusted now (etcd without quorum, a lost lease), if it cannot. */
  default Optional<String> problem() {
    return Optional.empty();
  }
}
