package dev.holdfast.dispatch;

import dev.holdfast.group.Group;
import dev.holdfast.run.Coordinator;
import dev.holdfast.run.GroupService;
import dev.holdfast.run.RunRequest;
import dev.holdfast.trigger.WatchtowerNotice;
import dev.holdfast.trigger.WatchtowerNotice.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a Watchtower notification said into runs ({@link WatchtowerDecisions} decides): a
 * member reported stale, or vetoed with a newer image out, is updated; a holder Watchtower
 * recreated or failed to recreate is healed; a member Watchtower recreated or failed to recreate
 * itself is verified (healed) with a warning; a lost namespace is healed. Answers with what it
 * understood and did, per notice.
 */
public final class WatchtowerService {

  private static final Logger log = LoggerFactory.getLogger(WatchtowerService.class);

  private final GroupService groups;
  private final Coordinator coordinator;
  private final Runnable reconcile;

  /**
   * @param reconcile asks the healer for a pass (after Watchtower touched a group)
   */
  public WatchtowerService(GroupService groups, Coordinator coordinator, Runnable reconcile) {
    this.groups = groups;
    this.coordinator = coordinator;
    this.reconcile = reconcile;
  }

  /**
   * What became of one Watchtower notice.
   *
   * @param kind what Watchtower said: new-image, recreated, vetoed, recreate-failed, namespace-lost
   *     or other
   * @param container the container it named, or empty
   * @param image the image it named, or empty
   * @param currentImageId the image the container runs, per Watchtower; null when not sent
   * @param latestImageId the newest image Watchtower found; null when not sent
   * @param error Watchtower's error for the container; null when none
   * @param outcome updating, healing, would update, would heal, or ignored
   * @param group the group acted on, and its run; null when ignored
   * @param why the reason
   */
  public record NoticeAnswer(
      String kind,
      String container,
      String image,
      String currentImageId,
      String latestImageId,
      String error,
      String outcome,
      GroupAction group,
      String why) {}

  /** The answer to one Watchtower notification. */
  public record WatchtowerAnswer(boolean dryRun, List<NoticeAnswer> notices) {}

  public WatchtowerAnswer onWatchtower(List<WatchtowerNotice> notices, boolean dryRun) {
    List<Group> all = groups.recent(HookService.SNAPSHOT_AGE);
    Map<String, Group> goneHolders = new HashMap<>();
    for (Group g : all) {
      groups.formerHolder(g).ifPresent(name -> goneHolders.putIfAbsent(name, g));
    }
    List<NoticeAnswer> answers = new ArrayList<>();
    Set<String> acted = new LinkedHashSet<>();
    boolean healerAsked = false;
    for (WatchtowerNotice n : notices) {
      answers.add(onNotice(n, all, goneHolders, dryRun, acted));
      if (!dryRun && !healerAsked && touched(n.kind())) {
        reconcile.run(); // route state and attachment are checked on the next pass
        healerAsked = true;
      }
    }
    return new WatchtowerAnswer(dryRun, answers);
  }

  /** Watchtower stopped, created or started something (or failed to): the healer looks. */
  private static boolean touched(Kind kind) {
    return kind == Kind.RECREATED || kind == Kind.RECREATE_FAILED || kind == Kind.NAMESPACE_LOST;
  }

  private NoticeAnswer onNotice(
      WatchtowerNotice n,
      List<Group> all,
      Map<String, Group> goneHolders,
      boolean dryRun,
      Set<String> acted) {
    WatchtowerDecisions.Decision d = WatchtowerDecisions.decide(n, all, goneHolders);
    if (d.warning() != null) {
      if (n.error().isEmpty()) {
        log.warn("{}", d.warning());
      } else {
        log.warn("{} (Watchtower said: {})", d.warning(), LogText.safe(n.error()));
      }
    }
    GroupAction first = null;
    for (RunRequest request : d.runs()) {
      GroupAction a = actOnce(request, d.action(), dryRun, acted);
      first = first == null ? a : first;
    }
    String outcome;
    if (d.action() == null) {
      outcome = "ignored";
    } else if (dryRun) {
      outcome = "would " + d.action();
    } else {
      outcome = d.action().equals("update") ? "updating" : "healing";
    }
    return new NoticeAnswer(
        n.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
        n.container(),
        n.image(),
        orNull(n.currentImageId()),
        orNull(n.latestImageId()),
        orNull(n.error()),
        outcome,
        first,
        d.why());
  }

  private static String orNull(String text) {
    return text.isEmpty() ? null : text;
  }

  /** One notification may name a group several times: the first request per group acts. */
  private GroupAction actOnce(
      RunRequest request, String action, boolean dryRun, Set<String> acted) {
    String key = request.group() + " " + action + " " + request.members();
    if (!acted.add(key)) {
      return new GroupAction(request.group(), action, List.copyOf(request.members()), null);
    }
    return GroupAction.of(request, action, dryRun ? null : coordinator.submit(request));
  }
}
