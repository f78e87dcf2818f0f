package dev.holdfast.run;

import dev.holdfast.group.Group;
import dev.holdfast.group.Member;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.trigger.Dedupe;
import dev.holdfast.trigger.HookReading;
import dev.holdfast.trigger.ImageName;
import dev.holdfast.trigger.ImagePush;
import dev.holdfast.trigger.PushMatch;
import dev.holdfast.trigger.WatchtowerNotice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a registry or Watchtower said into runs: pushes select the members that run the pushed
 * reference (deduplicated), Watchtower notices update or heal the groups of the containers they
 * name. Answers with what it understood and did, so a sender's log explains itself.
 */
public final class HookService {

  private static final Logger log = LoggerFactory.getLogger(HookService.class);

  /** How old the group snapshot a hook is matched against may be. */
  static final Duration SNAPSHOT_AGE = Duration.ofSeconds(2);

  private final GroupService groups;
  private final Coordinator coordinator;
  private final Dedupe withDigest;
  private final Dedupe withoutDigest;
  private final Runnable reconcile;

  /**
   * @param withDigest remembers delivery ids and pushes that carry a digest (a retry or a burst of
   *     the same push); a new digest under the same tag is a new push
   * @param withoutDigest remembers pushes without a digest for a short time only: the next real
   *     push of that tag looks the same
   * @param reconcile asks the healer for a pass (after Watchtower touched a group)
   */
  public HookService(
      GroupService groups,
      Coordinator coordinator,
      Dedupe withDigest,
      Dedupe withoutDigest,
      Runnable reconcile) {
    this.groups = groups;
    this.coordinator = coordinator;
    this.withDigest = withDigest;
    this.withoutDigest = withoutDigest;
    this.reconcile = reconcile;
  }

  /** One group a trigger acts on: its members to update, and the run (null in a dry-run). */
  public record GroupAction(String group, String action, List<String> members, String run) {}

  /** What became of one push. */
  public record PushAnswer(
      String image, String digest, String outcome, List<GroupAction> groups, List<String> notes) {}

  /** The answer to one registry delivery. */
  public record RegistryAnswer(
      String kind, boolean dryRun, List<PushAnswer> pushes, List<String> ignored) {}

  public RegistryAnswer onRegistry(HookReading reading, boolean dryRun) {
    List<PushAnswer> answers = new ArrayList<>();
    for (ImagePush push : reading.pushes()) {
      answers.add(onPush(push, dryRun));
    }
    return new RegistryAnswer(reading.kind(), dryRun, answers, reading.ignored());
  }

  private PushAnswer onPush(ImagePush push, boolean dryRun) {
    String image = push.image().toString();
    Optional<Instant> dup = duplicate(push, dryRun);
    if (dup.isPresent()) {
      return new PushAnswer(
          image,
          push.digest(),
          "duplicate",
          List.of(),
          List.of("the same push was seen at " + dup.get() + "; acted on once"));
    }
    PushMatch.Result match = PushMatch.match(push.image(), groups.recent(SNAPSHOT_AGE));
    if (match.groups().isEmpty()) {
      return new PushAnswer(image, push.digest(), "no match", List.of(), match.notes());
    }
    if (!dryRun) {
      keep(push); // it starts runs: a retry after a restart must not start them again
    }
    List<GroupAction> actions = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : match.groups().entrySet()) {
      Map<String, String> pushed = new LinkedHashMap<>();
      if (!push.digest().isEmpty()) {
        e.getValue().forEach(m -> pushed.put(m, push.digest()));
      }
      RunRequest request =
          new RunRequest(
              e.getKey(),
              PlanKind.UPDATE,
              e.getValue(),
              "hook " + push.source() + " push " + image,
              pushed);
      actions.add(act(request, "update", dryRun));
    }
    return new PushAnswer(
        image, push.digest(), dryRun ? "would update" : "updating", actions, match.notes());
  }

  private void keep(ImagePush push) {
    if (!push.deliveryId().isEmpty()) {
      withDigest.keep("delivery " + push.source() + " " + push.deliveryId());
    }
    (push.digest().isEmpty() ? withoutDigest : withDigest).keep("push " + push.dedupeKey());
  }

  /** Records the push (unless a dry-run) and says when the same one was seen before. */
  private Optional<Instant> duplicate(ImagePush push, boolean dryRun) {
    List<Dedupe> stores = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    if (!push.deliveryId().isEmpty()) {
      stores.add(withDigest);
      keys.add("delivery " + push.source() + " " + push.deliveryId());
    }
    stores.add(push.digest().isEmpty() ? withoutDigest : withDigest);
    keys.add("push " + push.dedupeKey());
    Optional<Instant> first = Optional.empty();
    for (int i = 0; i < keys.size(); i++) {
      Optional<Instant> seen =
          dryRun ? stores.get(i).peek(keys.get(i)) : stores.get(i).seen(keys.get(i));
      if (first.isEmpty()) {
        first = seen;
      }
    }
    return first;
  }

  private GroupAction act(RunRequest request, String action, boolean dryRun) {
    List<String> members = List.copyOf(request.members());
    if (dryRun) {
      return new GroupAction(request.group(), action, members, null);
    }
    Run run = coordinator.submit(request);
    log.info(
        "{}: {} of group {} ({}) as run {}",
        request.trigger(),
        action,
        request.group(),
        members.isEmpty() ? "all members" : String.join(", ", members),
        run.id());
    return new GroupAction(request.group(), action, members, run.id());
  }

  /** What became of one Watchtower notice. */
  public record NoticeAnswer(
      String kind, String container, String image, String outcome, GroupAction group, String why) {}

  /** The answer to one Watchtower notification. */
  public record WatchtowerAnswer(boolean dryRun, List<NoticeAnswer> notices) {}

  public WatchtowerAnswer onWatchtower(List<WatchtowerNotice> notices, boolean dryRun) {
    List<Group> all = groups.recent(SNAPSHOT_AGE);
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
    GroupAction first = null;
    for (Map.Entry<String, Set<String>> e : match.groups().entrySet()) {
      GroupAction a =
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
    GroupAction a = actOnce(request, action, dryRun, acted);
    String outcome = dryRun ? "would " + action : action.equals("update") ? "updating" : "healing";
    return new NoticeAnswer(kind, n.container(), n.image(), outcome, a, why);
  }

  /** One notification may name a group several times: the first request per group acts. */
  private GroupAction actOnce(
      RunRequest request, String action, boolean dryRun, Set<String> acted) {
    String key = request.group() + " " + action + " " + request.members();
    if (!acted.add(key)) {
      return new GroupAction(request.group(), action, List.copyOf(request.members()), null);
    }
    return act(request, action, dryRun);
  }

  /** Members of a group by name, for callers that hold a name only. */
  static Optional<Member> member(List<Group> all, String name) {
    return all.stream().flatMap(g -> g.member(name).stream()).findFirst();
  }
}
