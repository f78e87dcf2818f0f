package dev.holdfast.dispatch;

import dev.holdfast.group.Group;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.run.RunRequest;
import dev.holdfast.trigger.ImageName;
import dev.holdfast.trigger.PushMatch;
import dev.holdfast.trigger.WatchtowerNotice;
import dev.holdfast.trigger.WatchtowerNotice.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one Watchtower notice asks of holdfast, decided against the groups as they are: the safe
 * update of a stale member (reported stale, found new, or vetoed with a newer image out), a heal of
 * a group Watchtower touched or broke, or nothing. A notice only selects existing members and
 * groups; the runs re-pull each member's own configured reference, so nothing a notice says (its
 * image, its ids, its error) ever becomes an image or a command. Holders are never updated. Pure.
 */
final class WatchtowerDecisions {

  private WatchtowerDecisions() {}

  /**
   * @param action "update" or "heal"; null when nothing is done
   * @param runs the runs to start (several when an image-only notice matches several groups)
   * @param why the reason, for the answer
   * @param warning logged when set: Watchtower did what a member's set-up should not let it do
   */
  record Decision(String action, List<RunRequest> runs, String why, String warning) {

    static Decision ignored(String why) {
      return new Decision(null, List.of(), why, null);
    }

    static Decision update(Group g, String member, String trigger, String why) {
      return new Decision(
          "update",
          List.of(new RunRequest(g.name(), PlanKind.UPDATE, Set.of(member), trigger)),
          why,
          null);
    }

    static Decision heal(Group g, String trigger, String why, String warning) {
      return new Decision(
          "heal",
          List.of(new RunRequest(g.name(), PlanKind.HEAL, Set.of(), trigger)),
          why,
          warning);
    }
  }

  /**
   * @param all the groups as they are
   * @param goneHolders per name of a holder that is gone (e.g. its recreate failed), its group
   */
  static Decision decide(WatchtowerNotice n, List<Group> all, Map<String, Group> goneHolders) {
    if (n.kind() == Kind.OTHER) {
      return Decision.ignored("nothing holdfast acts on");
    }
    if (n.container().isEmpty()) {
      return imageOnly(n, all);
    }
    Optional<Group> holderOf =
        all.stream()
            .filter(g -> g.holder().map(h -> h.name().equals(n.container())).orElse(false))
            .findFirst()
            .or(() -> Optional.ofNullable(goneHolders.get(n.container())));
    if (holderOf.isPresent()) {
      return holder(n, holderOf.get());
    }
    Optional<Group> memberOf =
        all.stream().filter(g -> g.member(n.container()).isPresent()).findFirst();
    if (memberOf.isPresent()) {
      return member(n, memberOf.get());
    }
    return Decision.ignored("not in a group holdfast manages");
  }

  private static Decision holder(WatchtowerNotice n, Group g) {
    String never = "holder of group " + g.name() + "; holders are never updated";
    return switch (n.kind()) {
      case RECREATED ->
          Decision.heal(
              g,
              "watchtower recreated holder " + n.container(),
              "the holder was recreated: its members must join the new namespace",
              null);
      case VETOED -> Decision.ignored(never + "; Watchtower's pre-update veto left it as it was");
      case RECREATE_FAILED, NAMESPACE_LOST ->
          Decision.heal(
              g,
              "watchtower failed to recreate holder " + n.container(),
              never
                  + "; Watchtower failed to recreate it, so the group may be broken: it is healed"
                  + " (holder, attachment, health, route)",
              "Watchtower failed to recreate holder "
                  + n.container()
                  + " of group "
                  + g.name()
                  + "; label it com.centurylinklabs.watchtower.enable=false or give it the"
                  + " pre-update veto");
      default -> Decision.ignored(never);
    };
  }

  private static Decision member(WatchtowerNotice n, Group g) {
    String m = n.container();
    return switch (n.kind()) {
      case NEW_IMAGE ->
          Decision.update(
              g, m, "watchtower new image for " + m, "a new image is out for member " + m);
      case VETOED ->
          n.newerImage()
              ? Decision.update(
                  g,
                  m,
                  "watchtower vetoed update of " + m,
                  "Watchtower's pre-update veto skipped member "
                      + m
                      + " with a newer image out"
                      + ids(n)
                      + ": holdfast updates it safely")
              : Decision.ignored(
                  "Watchtower's pre-update veto skipped member "
                      + m
                      + ", but it reports no newer image"
                      + ids(n));
      case RECREATED ->
          Decision.heal(
              g,
              "watchtower recreated " + m,
              "Watchtower recreated a member itself: the group is verified (attached, healthy,"
                  + " route); label the member com.centurylinklabs.watchtower.monitor-only=true",
              "Watchtower recreated "
                  + m
                  + " of group "
                  + g.name()
                  + " itself; label it com.centurylinklabs.watchtower.monitor-only=true so holdfast"
                  + " updates it safely");
      case RECREATE_FAILED ->
          Decision.heal(
              g,
              "watchtower failed to recreate " + m,
              "Watchtower failed to recreate member "
                  + m
                  + " itself, so the group may be broken: it is healed (attachment, health,"
                  + " route); label the member com.centurylinklabs.watchtower.monitor-only=true",
              "Watchtower failed to recreate "
                  + m
                  + " of group "
                  + g.name()
                  + " itself; label it com.centurylinklabs.watchtower.monitor-only=true so holdfast"
                  + " updates it safely");
      default -> // NAMESPACE_LOST
          Decision.heal(
              g,
              "watchtower reported " + m + " without its namespace",
              m + " lost its holder's namespace",
              null);
    };
  }

  private static String ids(WatchtowerNotice n) {
    if (n.currentImageId().isEmpty() && n.latestImageId().isEmpty()) {
      return "";
    }
    return " ("
        + (n.currentImageId().isEmpty() ? "?" : n.currentImageId())
        + (n.newerImage() ? " -> " : " = ")
        + (n.latestImageId().isEmpty() ? "?" : n.latestImageId())
        + ")";
  }

  /** A notice naming no container: "Found new … image" selects the members that run it. */
  private static Decision imageOnly(WatchtowerNotice n, List<Group> all) {
    switch (n.kind()) {
      case NAMESPACE_LOST:
        Optional<Group> stale = all.stream().filter(Group::hasStaleMembers).findFirst();
        return stale
            .map(
                g ->
                    Decision.heal(
                        g,
                        "watchtower reported a lost namespace",
                        "group " + g.name() + " has stale members",
                        null))
            .orElseGet(() -> Decision.ignored("no group has stale members"));
      case VETOED:
        // cw logs a failed pre-update hook as "Skipping container as the pre-update command
        // failed", without the container; the "Found new … image" line of the same notification
        // selects the members that run that image.
        return Decision.ignored(
            "Watchtower's pre-update veto skipped a container it does not name; a \"Found new …"
                + " image\" line selects the members");
      case NEW_IMAGE:
        break;
      default:
        return Decision.ignored("names no container");
    }
    if (n.image().isEmpty()) {
      return Decision.ignored("names no container");
    }
    ImageName image;
    try {
      image = ImageName.parse(n.image());
    } catch (IllegalArgumentException e) {
      return Decision.ignored(e.getMessage());
    }
    PushMatch.Result match = PushMatch.match(image, all);
    if (match.groups().isEmpty()) {
      return Decision.ignored("no managed member runs " + image);
    }
    List<RunRequest> runs = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : match.groups().entrySet()) {
      runs.add(
          new RunRequest(
              e.getKey(), PlanKind.UPDATE, e.getValue(), "watchtower found new " + image));
    }
    return new Decision("update", runs, match.groups().size() + " group(s) run " + image, null);
  }
}
