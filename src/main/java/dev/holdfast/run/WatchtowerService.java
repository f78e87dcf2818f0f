package dev.holdfast.run;

import dev.holdfast.group.Group;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.trigger.ImageName;
import dev.holdfast.trigger.PushMatch;
import dev.holdfast.trigger.WatchtowerNotice;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a Watchtower notification said into runs: a member reported stale is updated, a holder
 * Watchtower recreated is healed, a member Watchtower recreated itself is verified (healed) with a
 * warning, a lost namespace is healed. Answers with what it understood and did.
 */
public final class WatchtowerService {

  private static final Logger log = LoggerFactory.getLogger(WatchtowerService.class);

  private final GroupService groups;
  private final TriggeredRuns runs;
  private final Runnable reconcile;

  /**
   * @param reconcile asks the healer for a pass (after Watchtower touched a group)
   */
  public WatchtowerService(GroupService groups, Coordinator coordinator, Runnable reconcile) {
    this.groups = groups;
    this.runs = new TriggeredRuns(coordinator);
    this.reconcile = reconcile;
  }

  /** What became of one Watchtower notice. */
  public record NoticeAnswer(
      String kind,
      String container,
      String image,
      String outcome,
      TriggeredRuns.GroupAction group,
      String why) {}

  /** The answer to one Watchtower notification. */
  public record WatchtowerAnswer(boolean dryRun, List<NoticeAnswer> notices) {}

  public WatchtowerAnswer onWatchtower(List<WatchtowerNotice> notices, boolean dryRun) {
    List<Group> all = groups.recent(HookService.SNAPSHOT_AGE);
    List<NoticeAnswer> answers = new ArrayList<>();
    Set<String> acted = new LinkedHashSet<>();
    boolean healerAsked = false;
    for (WatchtowerNotice n : notices) {
      NoticeAnswer a = onNotice(n, all, dryRun, acted);
      answers.add(a);
      if (!dryRun
          && !healerAsked
          && (n.kind() == WatchtowerNotice.Kind.RECREATED
              || n.kind() == WatchtowerNotice.Kind.NAMESPACE_LOST)) {
        reconcile.run(); // route state and attachment are checked on the next pass
        healerAsked = true;
      }
    }
    return new WatchtowerAnswer(dryRun, answers);
  }

  private NoticeAnswer onNotice(
      WatchtowerNotice n, List<Group> all, boolean dryRun, Set<String> acted) {
    String kind = n.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    if (n.kind() == WatchtowerNotice.Kind.OTHER) {
      return new NoticeAnswer(
          kind, n.container(), n.image(), "ignored", null, "nothing holdfast acts on");
    }
    if (n.container().isEmpty()) {
      return onImageOnly(n, kind, all, dryRun, acted);
    }
    Optional<Group> holderOf =
        all.stream()
            .filter(g -> g.holder().map(h -> h.name().equals(n.container())).orElse(false))
            .findFirst();
    Optional<Group> memberOf =
        all.stream().filter(g -> g.member(n.container()).isPresent()).findFirst();
    if (holderOf.isEmpty() && memberOf.isEmpty()) {
      return new NoticeAnswer(
          kind, n.container(), n.image(), "ignored", null, "not in a group holdfast manages");
    }
    switch (n.kind()) {
      case NEW_IMAGE:
        if (holderOf.isPresent()) {
          return new NoticeAnswer(
              kind,
              n.container(),
              n.image(),
              "ignored",
              null,
              "holder of group " + holderOf.get().name() + "; holders are never updated");
        }
        return answer(
            n,
            kind,
            "update",
            new RunRequest(
                memberOf.get().name(),
                PlanKind.UPDATE,
                Set.of(n.container()),
                "watchtower new image for " + n.container()),
            dryRun,
            acted,
            "a new image is out for member " + n.container());
      case RECREATED:
        if (holderOf.isPresent()) {
          return answer(
              n,
              kind,
              "heal",
              heal(holderOf.get(), "watchtower recreated holder " + n.container()),
              dryRun,
              acted,
              "the holder was recreated: its members must join the new namespace");
        }
        log.warn(
            "Watchtower recreated {} of group {} itself; label it"
                + " com.centurylinklabs.watchtower.monitor-only=true so holdfast updates it safely",
            n.container(),
            memberOf.get().name());
        return answer(
            n,
            kind,
            "heal",
            heal(memberOf.get(), "watchtower recreated " + n.container()),
            dryRun,
            acted,
            "Watchtower recreated a member itself: the group is verified (attached, healthy,"
                + " route); label the member com.centurylinklabs.watchtower.monitor-only=true");
      default: // NAMESPACE_LOST
        Group g = holderOf.orElseGet(memberOf::get);
        return answer(
            n,
            kind,
            "heal",
            heal(g, "watchtower reported " + n.container() + " without its namespace"),
            dryRun,
            acted,
            n.container() + " lost its holder's namespace");
    }
  }

  /** "Found new … image" names no container: the members that run that reference. */
  private NoticeAnswer onImageOnly(
      WatchtowerNotice n, String kind, List<Group> all, boolean dryRun, Set<String> acted) {
    if (n.kind() == WatchtowerNotice.Kind.NAMESPACE_LOST) {
      Optional<Group> stale = all.stream().filter(Group::hasStaleMembers).findFirst();
      if (stale.isEmpty()) {
        return new NoticeAnswer(kind, "", n.image(), "ignored", null, "no group has stale members");
      }
      return answer(
          n,
          kind,
          "heal",
          heal(stale.get(), "watchtower reported a lost namespace"),
          dryRun,
          acted,
          "group " + stale.get().name() + " has stale members");
    }
    if (n.kind() != WatchtowerNotice.Kind.NEW_IMAGE || n.image().isEmpty()) {
      return new NoticeAnswer(kind, "", n.image(), "ignored", null, "names no container");
    }
    ImageName image;
    try {
      image = ImageName.parse(n.image());
    } catch (IllegalArgumentException e) {
      return new NoticeAnswer(kind, "", n.image(), "ignored", null, e.getMessage());
    }
    PushMatch.Result match = PushMatch.match(image, all);
    if (match.groups().isEmpty()) {
      return new NoticeAnswer(
          kind, "", n.image(), "ignored", null, "no managed member runs " + image);
    }
    TriggeredRuns.GroupAction first = null;
    for (Map.Entry<String, Set<String>> e : match.groups().entrySet()) {
      TriggeredRuns.GroupAction a =
          actOnce(
              new RunRequest(
                  e.getKey(), PlanKind.UPDATE, e.getValue(), "watchtower found new " + image),
              "update",
              dryRun,
              acted);
      first = first == null ? a : first;
    }
    return new NoticeAnswer(
        kind,
        "",
        n.image(),
        dryRun ? "would update" : "updating",
        first,
        match.groups().size() + " group(s) run " + image);
  }

  private static RunRequest heal(Group g, String trigger) {
    return new RunRequest(g.name(), PlanKind.HEAL, Set.of(), trigger);
  }

  private NoticeAnswer answer(
      WatchtowerNotice n,
      String kind,
      String action,
      RunRequest request,
      boolean dryRun,
      Set<String> acted,
      String why) {
    TriggeredRuns.GroupAction a = actOnce(request, action, dryRun, acted);
    String outcome = dryRun ? "would " + action : action.equals("update") ? "updating" : "healing";
    return new NoticeAnswer(kind, n.container(), n.image(), outcome, a, why);
  }

  /** One notification may name a group several times: the first request per group acts. */
  private TriggeredRuns.GroupAction actOnce(
      RunRequest request, String action, boolean dryRun, Set<String> acted) {
    String key = request.group() + " " + action + " " + request.members();
    if (!acted.add(key)) {
      return new TriggeredRuns.GroupAction(
          request.group(), action, List.copyOf(request.members()), null);
    }
    return runs.act(request, action, dryRun);
  }
}
