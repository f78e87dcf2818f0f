package dev.holdfast.dispatch;

import dev.holdfast.plan.PlanKind;
import dev.holdfast.run.Coordinator;
import dev.holdfast.run.GroupService;
import dev.holdfast.run.RunRequest;
import dev.holdfast.trigger.Dedupe;
import dev.holdfast.trigger.HookReading;
import dev.holdfast.trigger.ImagePush;
import dev.holdfast.trigger.PushMatch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a registry said into runs: each real push of a tag selects the members that run the
 * pushed reference (deduplicated by delivery id and digest) and updates their groups. Answers with
 * what it understood and did, so a sender's log explains itself. (Watchtower's notices are {@link
 * WatchtowerService}'s.)
 */
public final class HookService {

  private static final Logger log = LoggerFactory.getLogger(HookService.class);

  /** How old the group snapshot a hook is matched against may be. */
  static final Duration SNAPSHOT_AGE = Duration.ofSeconds(2);

  private final GroupService groups;
  private final Coordinator coordinator;
  private final Dedupe withDigest;
  private final Dedupe withoutDigest;

  /**
   * @param withDigest remembers delivery ids and pushes that carry a digest (a retry or a burst of
   *     the same push); a new digest under the same tag is a new push
   * @param withoutDigest remembers pushes without a digest for a short time only: the next real
   *     push of that tag looks the same
   */
  public HookService(
      GroupService groups, Coordinator coordinator, Dedupe withDigest, Dedupe withoutDigest) {
    this.groups = groups;
    this.coordinator = coordinator;
    this.withDigest = withDigest;
    this.withoutDigest = withoutDigest;
  }

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
    Optional<Instant> dup = duplicate(push, true);
    if (dup.isPresent()) {
      return duplicateAnswer(push, dup.get());
    }
    PushMatch.Result match = PushMatch.match(push.image(), groups.recent(SNAPSHOT_AGE));
    if (match.groups().isEmpty()) {
      // Not remembered: only pushes that start runs need dedupe, so a flood of pushes that
      // nothing runs (every CI build of every other repository) cannot fill the heap.
      return new PushAnswer(image, push.digest(), "no match", List.of(), match.notes());
    }
    if (!dryRun) {
      dup = duplicate(push, false); // atomic: of two concurrent deliveries one acts
      if (dup.isPresent()) {
        return duplicateAnswer(push, dup.get());
      }
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
      actions.add(GroupAction.of(request, "update", dryRun ? null : coordinator.submit(request)));
    }
    return new PushAnswer(
        image, push.digest(), dryRun ? "would update" : "updating", actions, match.notes());
  }

  private static PushAnswer duplicateAnswer(ImagePush push, Instant first) {
    return new PushAnswer(
        push.image().toString(),
        push.digest(),
        "duplicate",
        List.of(),
        List.of("the same push was seen at " + first + "; acted on once"));
  }

  private void keep(ImagePush push) {
    if (!push.deliveryId().isEmpty()) {
      withDigest.keep("delivery " + push.source() + " " + push.deliveryId());
    }
    (push.digest().isEmpty() ? withoutDigest : withDigest).keep("push " + push.dedupeKey());
  }

  /** Records the push (unless only peeking) and says when the same one was seen before. */
  private Optional<Instant> duplicate(ImagePush push, boolean peek) {
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
          peek ? stores.get(i).peek(keys.get(i)) : stores.get(i).seen(keys.get(i));
      if (first.isEmpty()) {
        first = seen;
      }
    }
    return first;
  }
}
