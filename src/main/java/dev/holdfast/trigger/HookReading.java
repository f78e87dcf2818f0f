package dev.holdfast.trigger;

import java.util.List;

/**
 * What holdfast understood from one registry delivery: the real pushes of tags in it, and for
 * everything else why it was ignored. A well-formed delivery that carries nothing to act on has no
 * pushes and at least one reason.
 *
 * @param kind the sender's kind, e.g. {@code distribution}
 * @param pushes the pushes to act on, in the order sent
 * @param ignored one human-readable reason per ignored event, e.g. "pull of hf/app: not a push"
 */
public record HookReading(String kind, List<ImagePush> pushes, List<String> ignored) {

  public HookReading {
    pushes = List.copyOf(pushes);
    ignored = List.copyOf(ignored);
  }

  public static HookReading ignored(String kind, String why) {
    return new HookReading(kind, List.of(), List.of(why));
  }
}
